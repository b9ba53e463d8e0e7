/**
 * The file side of recordings: the folder FreeSWITCH writes into, the check and hash after a
 * stop, deletion by the sweeper, and disk usage. A port so that tests can make the disk fail.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, stat, statfs, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export interface FileFacts {
  readonly size: number
  readonly sha256: string
  /** The first 44 bytes (a WAV header), for the duration when no RECORD_STOP came. */
  readonly header: Uint8Array
}

export interface DiskFacts {
  readonly usedBytes: number
  readonly files: number
  readonly freeBytes: number
  readonly totalBytes: number
}

export interface RecordingFiles {
  /** Creates the dated folder before FreeSWITCH opens the file. */
  prepare(file: string): Promise<void>
  /** undefined when there is no such file. */
  inspect(file: string): Promise<FileFacts | undefined>
  /** true if it removed a file, false if there was none. */
  remove(file: string): Promise<boolean>
  disk(root: string): Promise<DiskFacts>
}

const isMissing = (e: unknown): boolean => typeof e === 'object' && e !== null && 'code' in e && e.code === 'ENOENT'

/** Streams the file through SHA-256: a one-hour stereo WAV is 115 MB, never read whole. */
function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')))
  })
}

async function headerOf(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.alloc(44)
    const { bytesRead } = await fh.read(buf, 0, 44, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

async function usage(root: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0
  let files = 0
  let entries: string[]
  try {
    entries = await readdir(root, { recursive: true })
  } catch (e) {
    if (isMissing(e)) return { bytes, files }
    throw e
  }
  for (const rel of entries) {
    const s = await stat(join(root, rel)).catch(() => undefined)
    if (s?.isFile()) {
      bytes += s.size
      files += 1
    }
  }
  return { bytes, files }
}

export const diskRecordingFiles: RecordingFiles = {
  async prepare(file) {
    await mkdir(dirname(file), { recursive: true })
  },
  async inspect(file) {
    try {
      const s = await stat(file)
      if (!s.isFile()) return undefined
      return { size: s.size, sha256: await sha256Of(file), header: await headerOf(file) }
    } catch (e) {
      if (isMissing(e)) return undefined
      throw e
    }
  },
  async remove(file) {
    try {
      await unlink(file)
      return true
    } catch (e) {
      if (isMissing(e)) return false
      throw e
    }
  },
  async disk(root) {
    const u = await usage(root)
    const fs = await statfs(root)
    return { usedBytes: u.bytes, files: u.files, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize }
  },
}
