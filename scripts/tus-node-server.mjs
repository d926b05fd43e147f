// The peer of scripts/bench-resumable.sh: @tus/server 2.x with @tus/file-store or
// @tus/s3-store (8 MiB parts, their default), as their READMEs set them up.
//   node tus-node-server.mjs PORT local DIR
//   node tus-node-server.mjs PORT s3 ENDPOINT BUCKET
import http from 'node:http'
import { Server } from '@tus/server'
import { FileStore } from '@tus/file-store'
import { S3Store } from '@tus/s3-store'

const [port, kind, where, bucket] = process.argv.slice(2)
const datastore = kind === 's3'
  ? new S3Store({
      partSize: 8 * 1024 * 1024,
      s3ClientConfig: {
        bucket,
        endpoint: where,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        // the SDK's default flexible checksums are left to what S3 requires (evhttp sends CRC32C)
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      },
    })
  : new FileStore({ directory: where })
const tus = new Server({ path: '/files', datastore })
http.createServer((req, res) => tus.handle(req, res)).listen(Number(port), '127.0.0.1', () => {
  console.log('READY ' + process.pid)
})
