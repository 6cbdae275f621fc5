import type { ApiHandler } from '../../core/api/types.js';
export interface ContractRequest { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string | Uint8Array }
export interface ContractResponse { status: number; headers: Record<string, string>; body: Uint8Array }
export interface Invoker { name: string; invoke(api: ApiHandler, request: ContractRequest): Promise<ContractResponse>; close?(): Promise<void> }
