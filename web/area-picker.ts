import * as L from 'leaflet';

/** Kilometres per degree of latitude (mean), for drawing the point's buffer box. */
const KM_PER_DEGREE = 111.32;

/** The inputs the picker reads and fills. */
export interface AreaFields {
  lat: HTMLInputElement;
  lng: HTMLInputElement;
  bufferKm: HTMLInputElement;
  west: HTMLInputElement;
  south: HTMLInputElement;
  east: HTMLInputElement;
  north: HTMLInputElement;
}

/** The area inputs of the analysis form. */
export function areaFieldsOf(form: HTMLFormElement): AreaFields {
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  return { lat: input('lat'), lng: input('lng'), bufferKm: input('bufferKm'), west: input('west'), south: input('south'), east: input('east'), north: input('north') };
}

const round = (value: number) => String(Math.round(value * 1e5) / 1e5);
const numberIn = (input: HTMLInputElement) => (input.value.trim() === '' ? NaN : Number(input.value));

/** A press that moves less than this (CSS px) before it is released is a tap (or click): it marks a corner. */
const TAP_PX = 6;

/**
 * The area of a place-and-dates analysis on the map: "Pick on map" sets the point from a click,
 * "Draw box" from a drag, or from two taps on its opposite corners (the touch-friendly way), with
 * a mouse, a pen or a finger (pointer events); typing in the fields works as well (and is the
 * keyboard way). While a box is being drawn the map does not pan; Escape, pressing the button
 * again or a cancelled touch stop drawing (a box half drawn is dropped) and the map pans again.
 * The area chosen is drawn as a dashed box: the point's buffer box, or the box itself.
 */
export class AreaPicker {
  private preview?: L.Rectangle;
  private mode: 'point' | 'box' | undefined;
  /** The press being drawn with: where it started, and the box fields before it (restored if it is cancelled). */
  private drawing?: { pointerId: number; from: L.Point; start: L.LatLng; moved: boolean; before: string[] };
  /** The first corner of a box drawn by two taps, and its mark on the map. */
  private corner?: { at: L.LatLng; mark: L.CircleMarker };
  /** Which kind of area the form asks for now; anything else hides the preview. */
  private kind: 'point' | 'box' | undefined = 'point';

  constructor(
    private readonly map: L.Map,
    private readonly fields: AreaFields,
    private readonly buttons: { point: HTMLButtonElement; box: HTMLButtonElement },
  ) {
    buttons.point.addEventListener('click', () => this.arm(this.mode === 'point' ? undefined : 'point'));
    buttons.box.addEventListener('click', () => this.arm(this.mode === 'box' ? undefined : 'box'));
    for (const input of Object.values(fields)) input.addEventListener('input', () => this.draw());
    map.on('click', (event: L.LeafletMouseEvent) => this.clicked(event.latlng));
    const container = map.getContainer();
    container.addEventListener('pointerdown', (event) => this.pressed(event));
    container.addEventListener('pointermove', (event) => this.moved(event));
    container.addEventListener('pointerup', (event) => this.released(event));
    container.addEventListener('pointercancel', (event) => event.pointerId === this.drawing?.pointerId && this.arm(undefined));
    document.addEventListener('keydown', (event) => event.key === 'Escape' && this.mode !== undefined && this.arm(undefined));
  }

  /** Shows the area for `kind` (`undefined` for uploads and stored images: nothing to draw). */
  use(kind: 'point' | 'box' | undefined): void {
    this.kind = kind;
    this.arm(undefined);
    this.draw();
  }

  /** Starts choosing a point or a box on the map, or stops (`undefined`): the map pans again. */
  private arm(mode: 'point' | 'box' | undefined): void {
    if (this.drawing) {
      const { pointerId, before } = this.drawing;
      this.drawing = undefined;
      [this.fields.west.value, this.fields.south.value, this.fields.east.value, this.fields.north.value] = before;
      if (this.map.getContainer().hasPointerCapture(pointerId)) this.map.getContainer().releasePointerCapture(pointerId);
      this.draw();
    }
    this.corner?.mark.remove();
    this.corner = undefined;
    this.mode = mode;
    this.buttons.point.setAttribute('aria-pressed', String(mode === 'point'));
    this.buttons.box.setAttribute('aria-pressed', String(mode === 'box'));
    const container = this.map.getContainer();
    container.classList.toggle('picking', mode !== undefined);
    // No panning and no browser gestures (touch-action: none) while a box is drawn.
    container.classList.toggle('picking-box', mode === 'box');
    if (mode === 'box') this.map.dragging.disable();
    else this.map.dragging.enable();
  }

  private clicked(at: L.LatLng): void {
    if (this.mode !== 'point') return;
    this.fields.lat.value = round(at.lat);
    this.fields.lng.value = round(L.Util.wrapNum(at.lng, [-180, 180], true));
    this.arm(undefined);
    this.draw();
  }

  private pressed(event: PointerEvent): void {
    if (this.mode !== 'box' || this.drawing || !event.isPrimary || event.button !== 0) return;
    if ((event.target as Element | null)?.closest('.leaflet-control')) return; // zoom buttons, layers panel
    event.preventDefault();
    this.map.getContainer().setPointerCapture(event.pointerId);
    const from = this.map.mouseEventToContainerPoint(event);
    const f = this.fields;
    this.drawing = { pointerId: event.pointerId, from, start: this.map.containerPointToLatLng(from), moved: false, before: [f.west.value, f.south.value, f.east.value, f.north.value] };
  }

  private moved(event: PointerEvent): void {
    const drawing = this.drawing;
    if (!drawing || event.pointerId !== drawing.pointerId) return;
    const at = this.map.mouseEventToContainerPoint(event);
    if (!drawing.moved && at.distanceTo(drawing.from) < TAP_PX) return;
    drawing.moved = true;
    this.corner?.mark.remove();
    this.corner = undefined;
    this.setBox(L.latLngBounds(drawing.start, this.map.containerPointToLatLng(at)));
  }

  private released(event: PointerEvent): void {
    const drawing = this.drawing;
    if (!drawing || event.pointerId !== drawing.pointerId) return;
    this.drawing = undefined;
    const at = this.map.mouseEventToContainerPoint(event);
    if (drawing.moved) {
      this.setBox(L.latLngBounds(drawing.start, this.map.containerPointToLatLng(at)));
      return this.arm(undefined);
    }
    // A tap: the first corner, or the opposite one of the corner tapped before.
    const corner = this.corner;
    if (corner && this.map.latLngToContainerPoint(corner.at).distanceTo(at) >= TAP_PX) {
      this.setBox(L.latLngBounds(corner.at, this.map.containerPointToLatLng(at)));
      return this.arm(undefined);
    }
    corner?.mark.remove();
    const first = this.map.containerPointToLatLng(at);
    this.corner = { at: first, mark: L.circleMarker(first, { radius: 5, className: 'aoi-corner', interactive: false }).addTo(this.map) };
  }

  private setBox(bounds: L.LatLngBounds): void {
    this.fields.west.value = round(bounds.getWest());
    this.fields.south.value = round(bounds.getSouth());
    this.fields.east.value = round(bounds.getEast());
    this.fields.north.value = round(bounds.getNorth());
    this.draw();
  }

  /** The area in the fields as bounds, when they hold one. */
  private bounds(): L.LatLngBounds | undefined {
    const f = this.fields;
    if (this.kind === 'point') {
      const [lat, lng, km] = [numberIn(f.lat), numberIn(f.lng), numberIn(f.bufferKm) || 1];
      if (!Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
      const dLat = km / KM_PER_DEGREE;
      const dLng = km / (KM_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
      return L.latLngBounds([lat - dLat, lng - dLng], [lat + dLat, lng + dLng]);
    }
    if (this.kind === 'box') {
      const [w, s, e, n] = [f.west, f.south, f.east, f.north].map(numberIn);
      return [w, s, e, n].every(Number.isFinite) ? L.latLngBounds([s, w], [n, e]) : undefined;
    }
    return undefined;
  }

  private draw(): void {
    const bounds = this.bounds();
    if (!bounds) {
      this.preview?.remove();
      this.preview = undefined;
      return;
    }
    if (this.preview) this.preview.setBounds(bounds);
    else this.preview = L.rectangle(bounds, { className: 'aoi', weight: 2, dashArray: '6 4', fill: false, interactive: false }).addTo(this.map);
  }
}
