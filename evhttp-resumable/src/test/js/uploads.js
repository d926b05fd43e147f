'use strict'
// Uploads files to a resumable endpoint with tus-js-client, as TusJsClientTests asks.
//
//   node uploads.js CASES.json
//
// CASES.json: {"endpoint": "http://127.0.0.1:PORT/resumable/", "storage": "urls.json",
//              "cases": [{"name", "file", "input", "chunkSize", ...}]}
//   input       "file" (an fs.ReadStream, read by path), "buffer" or "stream" (a plain Readable)
//   chunkSize   bytes per request; absent: unlimited
//   protocol    "tus-v1" (default), "ietf-draft-03" or "ietf-draft-05"
//   deferred    uploadLengthDeferred; creation  uploadDataDuringCreation; parallel  parallelUploads
//   abort       {"at": "chunk" | "request", "after": BYTES, "resume": "url" | "storage"}:
//               abort() once BYTES are acknowledged (at a chunk's end) or being sent (within a
//               request), then finish with a new Upload resumed from the URL or from the storage
//
// Prints one line per case, in order:
//   ok NAME URL RESUMED_AT     (RESUMED_AT: the offset the resumed upload went on from, or -)
//   failed NAME MESSAGE
// and exits 0 once every case has run; anything else on stdout or stderr is a diagnostic.

const fs = require('fs')
const { Readable } = require('stream')
const tus = require('tus-js-client')

function input(c) {
  switch (c.input) {
    case 'buffer':
      return fs.readFileSync(c.file)
    case 'stream':
      return Readable.from(fs.createReadStream(c.file)) // no path: read as a plain stream
    default:
      return fs.createReadStream(c.file)
  }
}

function options(spec, c, extra) {
  return {
    endpoint: spec.endpoint,
    chunkSize: c.chunkSize ?? Number.POSITIVE_INFINITY,
    protocol: c.protocol ?? 'tus-v1',
    uploadLengthDeferred: Boolean(c.deferred),
    uploadDataDuringCreation: Boolean(c.creation),
    parallelUploads: c.parallel ?? 1,
    metadata: { filename: c.name, filetype: 'application/octet-stream' },
    // no retry unless the case resumes: a server error must fail the case, not be retried over
    retryDelays: c.abort ? [0, 200, 500, 1000, 2000] : null,
    ...(c.abort?.resume === 'storage' ? { urlStorage: new tus.FileUrlStorage(spec.storage) } : {}),
    ...extra,
  }
}

function start(file, opts) {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(file, {
      ...opts,
      onSuccess: () => resolve(upload),
      onError: reject,
    })
    upload.start()
  })
}

async function run(spec, c) {
  if (!c.abort) {
    const upload = await start(input(c), options(spec, c, {}))
    return { url: upload.url, resumedAt: '-' }
  }
  const first = await abortPart(spec, c)
  let resumedAt = null
  const resume = options(spec, c, {
    onProgress: (sent) => {
      resumedAt ??= sent
    },
  })
  const file = input(c)
  let second
  if (c.abort.resume === 'storage') {
    second = await new Promise((resolve, reject) => {
      const upload = new tus.Upload(file, { ...resume, onSuccess: () => resolve(upload), onError: reject })
      upload.findPreviousUploads().then((previous) => {
        if (previous.length !== 1) {
          reject(new Error(`${previous.length} previous uploads stored, not 1`))
          return
        }
        upload.resumeFromPreviousUpload(previous[0])
        upload.start()
      }, reject)
    })
  } else {
    second = await start(file, { ...resume, uploadUrl: first })
  }
  if (second.url !== first) {
    throw new Error(`resumed at ${second.url}, not at ${first}`)
  }
  return { url: second.url, resumedAt: resumedAt ?? '-' }
}

// Starts the upload and aborts it as the case says; resolves to its URL.
function abortPart(spec, c) {
  return new Promise((resolve, reject) => {
    let upload
    let stopped = false
    const stop = () => {
      if (stopped) return
      stopped = true
      upload.abort().then(() => resolve(upload.url), reject)
    }
    const opts = options(spec, c, {
      onChunkComplete: (size, accepted) => {
        if (c.abort.at === 'chunk' && accepted >= c.abort.after) stop()
      },
      onProgress: (sent) => {
        if (c.abort.at === 'request' && sent >= c.abort.after) stop()
      },
    })
    upload = new tus.Upload(input(c), {
      ...opts,
      onSuccess: () => reject(new Error('finished before it was aborted')),
      onError: reject,
    })
    upload.start()
  })
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  let current = null
  // Node leaves when nothing is pending: a client that neither succeeds nor fails ends here
  process.on('exit', () => {
    if (current) console.log(`failed ${current} never finished: no request pending, no callback`)
  })
  for (const c of spec.cases) {
    current = c.name
    try {
      const { url, resumedAt } = await run(spec, c)
      console.log(`ok ${c.name} ${url} ${resumedAt}`)
    } catch (err) {
      console.log(`failed ${c.name} ${String(err?.stack ?? err).replace(/\s+/g, ' ')}`)
    }
  }
  current = null
}

main().catch((err) => {
  console.error(err)
  process.exit(2)
})
