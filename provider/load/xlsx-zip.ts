/**
 * Bounds an `.xlsx` workbook before any spreadsheet parser sees it. An `.xlsx` is a zip archive:
 * its central directory is read here, every XML part is inflated here with a hard output limit
 * (so a zip bomb, or an entry that lies about its size, stops at the limit), rows and cells are
 * counted, and only then is a plain stored zip of exactly those parts rebuilt for the parser.
 * The parser therefore never inflates anything itself and never sees more than was counted.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { MAX_TEMPLATE_ROWS } from './users-template.js';
import { formatBytes } from './input-file.js';
/** Most cells a workbook may have, over all its sheets. */
export const MAX_XLSX_CELLS = 1_000_000;
/** Most entries a workbook archive may list. */
const MAX_ZIP_ENTRIES = 10_000;

/** What the parser reads (read-excel-file reads only these parts). */
function isXmlPart(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.xml.rels');
}

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** A workbook checked and rebuilt, or why it was refused. */
export type BoundedXlsx = { ok: true; zip: Buffer; unpackedBytes: number; rows: number } | { ok: false; message: string };

interface Part {
  name: string;
  data: Buffer;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= earliest; i -= 1) if (zip.readUInt32LE(i) === SIG_EOCD) return i;
  return -1;
}

/**
 * Checks `zip` against `maxUnpackedBytes` (all XML parts inflated together) and the row and cell
 * limits, and returns a stored zip of its XML parts for the parser.
 */
export function boundXlsx(zip: Buffer, maxUnpackedBytes: number): BoundedXlsx {
  const refuse = (message: string): BoundedXlsx => ({ ok: false, message });
  if (zip.length < 22) return refuse('this is not a readable Excel workbook (too short to be a zip archive)');
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd < 0) return refuse('this is not a readable Excel workbook (no zip central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return refuse('this workbook is a ZIP64 archive, far over the size limit');
  if (count > MAX_ZIP_ENTRIES) return refuse(`this workbook lists ${count} archive entries, over the limit of ${MAX_ZIP_ENTRIES}`);
  if (cdOffset + cdSize > eocd) return refuse('this is not a readable Excel workbook (its zip central directory is out of bounds)');

  const parts: Part[] = [];
  const names = new Set<string>();
  let unpacked = 0;
  let rows = 0;
  let cells = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > eocd || zip.readUInt32LE(at) !== SIG_CENTRAL) return refuse('this is not a readable Excel workbook (a zip central directory entry is damaged)');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const declared = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (!isXmlPart(name)) continue;
    if (names.has(name)) return refuse(`this workbook holds the part ${JSON.stringify(name)} twice; save it again from Excel`);
    names.add(name);
    if (flags & 1) return refuse('this workbook is encrypted; save it without a password');
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== SIG_LOCAL) return refuse('this is not a readable Excel workbook (a zip entry header is damaged)');
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (dataStart + compressed > zip.length) return refuse('this is not a readable Excel workbook (a zip entry runs past the end of the file)');
    const raw = zip.subarray(dataStart, dataStart + compressed);
    const left = maxUnpackedBytes - unpacked;
    let data: Buffer;
    if (method === 0) {
      if (raw.length > left) return refuse(`this workbook unpacks to more than ${formatBytes(maxUnpackedBytes)} of XML`);
      data = raw;
    } else if (method === 8) {
      try {
        // maxOutputLength stops inflating at the limit: a zip bomb costs at most the limit, whatever the entry declares.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, left) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return refuse(`this workbook unpacks to more than ${formatBytes(maxUnpackedBytes)} of XML (a zip bomb or a very large sheet)`);
        return refuse(`this is not a readable Excel workbook (a zip entry does not inflate: ${(e as Error).message})`);
      }
      if (data.length > left) return refuse(`this workbook unpacks to more than ${formatBytes(maxUnpackedBytes)} of XML`);
    } else return refuse(`this is not a readable Excel workbook (zip compression method ${method} is not read)`);
    if (data.length !== declared) return refuse('this is not a readable Excel workbook (a zip entry is not the size its directory says)');
    unpacked += data.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) {
      const text = data.toString('latin1');
      rows += (text.match(/<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g) ?? []).length;
      cells += (text.match(/<(?:[A-Za-z_][\w.-]*:)?c[\s>/]/g) ?? []).length;
      if (rows > MAX_TEMPLATE_ROWS + 1) return refuse(`this workbook has more than ${MAX_TEMPLATE_ROWS} rows, the limit of a template; split the users over several files`);
      if (cells > MAX_XLSX_CELLS) return refuse(`this workbook has more than ${MAX_XLSX_CELLS} cells, the limit of a template; keep only the template's columns`);
    }
    parts.push({ name, data });
  }
  return { ok: true, zip: storedZip(parts), unpackedBytes: unpacked, rows };
}

/** A zip of `parts`, stored (no compression), as the parser reads it. */
function storedZip(parts: readonly Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, part.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + part.data.length;
  }
  const cdSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
