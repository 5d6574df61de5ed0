// A small zip reader: the central directory says where each entry is, so entries are read one at a
// time with positioned reads and inflated with Node's zlib (stored and deflate, the two methods
// Python's zipfile writes by default). Zip64 and encrypted archives are reported, not read.
import { open, type FileHandle } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipError extends Error {}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export class ZipReader {
  private constructor(
    private readonly handle: FileHandle,
    readonly entries: ZipEntry[],
  ) {}

  /** Opens the archive and reads its central directory; throws ZipError if it is not a readable zip. */
  static async open(file: string): Promise<ZipReader> {
    const handle = await open(file, 'r');
    try {
      return new ZipReader(handle, await readCentralDirectory(handle));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The entry's bytes, decompressed and checked against its CRC-32. */
  async read(entry: ZipEntry): Promise<Buffer> {
    if (entry.flags & 1) throw new ZipError(`${entry.name}: encrypted entries are not supported`);
    const header = await readAt(this.handle, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new ZipError(`${entry.name}: bad local header signature`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const raw = await readAt(this.handle, dataStart, entry.compressedSize);
    let data: Buffer;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      try {
        // The cap stops a lying header from inflating a bomb.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
      } catch (error) {
        throw new ZipError(`${entry.name}: ${(error as Error).message}`);
      }
    } else throw new ZipError(`${entry.name}: compression method ${entry.method} is not supported`);
    if (data.length !== entry.size) throw new ZipError(`${entry.name}: size ${data.length}, expected ${entry.size}`);
    if (crc32(data) >>> 0 !== entry.crc) throw new ZipError(`${entry.name}: CRC mismatch`);
    return data;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new ZipError(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
  return buffer;
}

async function readCentralDirectory(handle: FileHandle): Promise<ZipEntry[]> {
  const { size } = await handle.stat();
  if (size < EOCD_SIZE) throw new ZipError('too short to be a zip archive');
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError('no end-of-central-directory record: not a zip archive, or truncated');
  const count = tail.readUInt16LE(at + 10);
  const directorySize = tail.readUInt32LE(at + 12);
  const directoryOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (directoryOffset + directorySize > size) throw new ZipError('the central directory lies past the end of the file');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) {
      throw new ZipError(`central directory entry ${i} is damaged`);
    }
    const flags = directory.readUInt16LE(offset + 8);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const nameBytes = directory.subarray(offset + 46, offset + 46 + nameLength);
    entries.push({
      // Bit 11: the name is UTF-8; otherwise it is CP437, whose ASCII part is what paths use.
      name: nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1'),
      method: directory.readUInt16LE(offset + 10),
      flags,
      crc: directory.readUInt32LE(offset + 16),
      compressedSize: directory.readUInt32LE(offset + 20),
      size: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
