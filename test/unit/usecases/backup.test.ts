import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { describeBackupScenarios } from '../../helpers/backup-scenarios.js';

describeBackupScenarios('memory stores', async () => ({ results: new MemoryBlobStore(), backups: new MemoryBlobStore() }));
