// Draws the two icons the Teams app package needs and writes them beside the manifest:
//   manifest/teams/color.png    192×192, full colour: a white route mark on fixpath's teal
//   manifest/teams/outline.png   32×32, the same mark in white on a transparent background
// The mark is a winding route from a ring (where you start) to a dot (where the guide gets you).
// Run it after changing the drawing: node --import tsx scripts/make-teams-icons.ts
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** Pixels, row by row, `channels` bytes each: 3 for RGB, 4 for RGBA. */
export interface Image {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}

/** fixpath's accent colour, also the manifests' `accentColor` and `background_color`. */
export const ACCENT = { r: 0x0f, g: 0x76, b: 0x6e } as const;

const SUPERSAMPLE = 4;

// The mark in its own unit square (y grows downwards): three lanes joined by half-turns.
const LANES = [0.16, 0.5, 0.84] as const;
const TURN_RADIUS = (LANES[1] - LANES[0]) / 2;
const HALF_STROKE = 0.055;
const START = { x: 0.16, y: LANES[0], outer: 0.13, inner: 0.06 };
const END = { x: 0.84, y: LANES[2], radius: 0.12 };
const LEFT_TURN_X = 0.2;
const RIGHT_TURN_X = 0.8;

/** Whether a point of the unit square is inked by the route mark. */
function inMark(x: number, y: number): boolean {
  const [top, middle, bottom] = LANES;
  const nearLane = (laneY: number, from: number, to: number) =>
    Math.abs(y - laneY) <= HALF_STROKE && x >= Math.min(from, to) && x <= Math.max(from, to);
  const nearTurn = (cx: number, cy: number, side: 1 | -1) =>
    (x - cx) * side >= 0 && Math.abs(Math.hypot(x - cx, y - cy) - TURN_RADIUS) <= HALF_STROKE;

  const startDistance = Math.hypot(x - START.x, y - START.y);
  return (
    nearLane(top, START.x + START.outer, RIGHT_TURN_X) ||
    nearTurn(RIGHT_TURN_X, top + TURN_RADIUS, 1) ||
    nearLane(middle, RIGHT_TURN_X, LEFT_TURN_X) ||
    nearTurn(LEFT_TURN_X, middle + TURN_RADIUS, -1) ||
    nearLane(bottom, LEFT_TURN_X, END.x) ||
    (startDistance <= START.outer && startDistance >= START.inner) ||
    Math.hypot(x - END.x, y - END.y) <= END.radius
  );
}

/** How much of pixel (px, py) the mark covers, 0 to 1, when the mark fills `box` pixels from `offset`. */
function coverage(px: number, py: number, offset: number, box: number): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
    for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
      const x = (px + (sx + 0.5) / SUPERSAMPLE - offset) / box;
      const y = (py + (sy + 0.5) / SUPERSAMPLE - offset) / box;
      if (inMark(x, y)) hits += 1;
    }
  }
  return hits / SUPERSAMPLE ** 2;
}

/** 192×192 RGB: the mark in white inside the central 96×96, on a solid accent background. */
export function drawColorIcon(): Image {
  const size = 192;
  const pixels = new Uint8Array(size * size * 3);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const ink = coverage(px, py, 48, 96);
      const at = (py * size + px) * 3;
      pixels[at] = Math.round(ACCENT.r + (255 - ACCENT.r) * ink);
      pixels[at + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * ink);
      pixels[at + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * ink);
    }
  }
  return { width: size, height: size, channels: 3, pixels };
}

/** 32×32 RGBA: the mark in white, a 2-pixel margin, everything else fully transparent. */
export function drawOutlineIcon(): Image {
  const size = 32;
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const ink = coverage(px, py, 2, 28);
      const at = (py * size + px) * 4;
      pixels.set([255, 255, 255, Math.round(255 * ink)], at);
    }
  }
  return { width: size, height: size, channels: 4, pixels };
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}

/** A minimal PNG: 8-bit truecolour (with alpha for 4 channels), unfiltered rows, one IDAT. */
export function encodePng(image: Image): Buffer {
  const { width, height, channels, pixels } = image;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);

  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row += 1) {
    raw[row * (stride + 1)] = 0; // filter type None
    raw.set(pixels.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function main(): void {
  const dir = join(import.meta.dirname, '..', 'manifest', 'teams');
  writeFileSync(join(dir, 'color.png'), encodePng(drawColorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(drawOutlineIcon()));
  process.stdout.write('wrote manifest/teams/color.png and manifest/teams/outline.png\n');
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) main();
