// Reads a WARC with the npm warcio package and checks every record's WARC-Block-Digest and WARC-Payload-Digest.
// Usage: node check-warc.mjs FILE.warc   Prints one JSON document; exits 0 when every digest matches, 1 otherwise.
// The payload of an HTTP record is its body with chunked transfer coding removed (warcio's dechunker) and content
// coding kept, as ISO 28500:2017 defines it.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { WARCParser, AsyncIterReader } from "warcio";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check-warc.mjs FILE.warc");
  process.exit(2);
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(bytes) {
  let out = "", buffer = 0, bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b; bits += 8;
    while (bits >= 5) { out += alphabet[(buffer >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

function matches(header, data) {
  if (!header) return null;
  const [algo, value] = header.split(":", 2);
  if (algo.toLowerCase().replace("-", "") !== "sha256") return false;
  const digest = createHash("sha256").update(data).digest();
  return value.replace(/=+$/, "").toUpperCase() === base32(digest) || value.toLowerCase() === digest.toString("hex");
}

async function collect(parseHttp) {
  const out = [];
  const parser = new WARCParser(createReadStream(file), { parseHttp });
  for await (const record of parser) {
    const entry = { type: record.warcType, id: record.warcHeader("WARC-Record-ID"), target: record.warcTargetURI ?? null };
    if (!parseHttp) {
      entry.block = await record.readFully(false);
    } else if (record.httpHeaders) {
      const raw = await record.readFully(false);
      const chunked = (record.httpHeaders.headers.get("Transfer-Encoding") ?? "").toLowerCase().includes("chunked");
      entry.payload = chunked ? await new AsyncIterReader([raw], null, true).readFully() : raw;
      entry.status = record.httpHeaders.statusCode ?? null;
    } else {
      await record.skipFully();
    }
    entry.blockDigest = record.warcBlockDigest ?? null;
    entry.payloadDigest = record.warcPayloadDigest ?? null;
    entry.contentLength = record.warcContentLength;
    out.push(entry);
  }
  return out;
}

const blocks = await collect(false);
const http = await collect(true);
const report = blocks.map((r, i) => ({
  type: r.type,
  id: r.id,
  target: r.target,
  contentLength: r.contentLength,
  blockLength: r.block.length,
  blockDigestMatches: matches(r.blockDigest, r.block),
  payloadDigestMatches: r.payloadDigest ? matches(r.payloadDigest, http[i].payload ?? new Uint8Array()) : null,
  httpStatus: http[i].status ?? null,
}));
const ok = report.length > 0 && report.every(r => r.blockDigestMatches === true && r.payloadDigestMatches !== false && r.contentLength === r.blockLength);
console.log(JSON.stringify({ ok, records: report }, null, 2));
process.exit(ok ? 0 : 1);
