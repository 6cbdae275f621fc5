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

/**
 * The area of a place-and-dates analysis on the map: "Pick on map" sets the point from a click,
 * "Draw box" from a drag; typing in the fields works as well (and is the keyboard way). The
 * area chosen is drawn as a dashed box: the point's buffer box, or the box itself.
 */
export class AreaPicker {
  private preview?: L.Rectangle;
  private mode: 'point' | 'box' | undefined;
  private start?: L.LatLng;
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
    map.on('mousedown', (event: L.LeafletMouseEvent) => this.pressed(event.latlng));
    map.on('mousemove', (event: L.LeafletMouseEvent) => this.moved(event.latlng));
    map.on('mouseup', (event: L.LeafletMouseEvent) => this.released(event.latlng));
    document.addEventListener('keydown', (event) => event.key === 'Escape' && this.arm(undefined));
  }

  /** Shows the area for `kind` (`undefined` for uploads and stored images: nothing to draw). */
  use(kind: 'point' | 'box' | undefined): void {
    this.kind = kind;
    this.arm(undefined);
    this.draw();
  }

  private arm(mode: 'point' | 'box' | undefined): void {
    this.mode = mode;
    this.start = undefined;
    this.buttons.point.setAttribute('aria-pressed', String(mode === 'point'));
    this.buttons.box.setAttribute('aria-pressed', String(mode === 'box'));
    this.map.getContainer().classList.toggle('picking', mode !== undefined);
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

  private pressed(at: L.LatLng): void {
    if (this.mode === 'box') this.start = at;
  }

  private moved(at: L.LatLng): void {
    if (this.mode === 'box' && this.start) this.setBox(L.latLngBounds(this.start, at));
  }

  private released(at: L.LatLng): void {
    if (this.mode !== 'box' || !this.start) return;
    this.setBox(L.latLngBounds(this.start, at));
    this.arm(undefined);
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
