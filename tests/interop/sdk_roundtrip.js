#!/usr/bin/env node
// Interop check with the official AWS SDK for JavaScript (v3), driven by
// tests/model/tst_dynamodbstore.cpp against the same server (dynalite or DynamoDB Local):
//
//   node sdk_roundtrip.js ENDPOINT write TABLE     puts records of every attribute type and
//                                                  prints each as one line of DynamoDB JSON
//   node sdk_roundtrip.js ENDPOINT read TABLE ID   prints the record with id ID, as read by the SDK
//
// Binary values print as base64, as DynamoDB JSON writes them; numbers stay the SDK's strings.
'use strict'

const path = require('path')
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require(path.join(__dirname, '..', 'node_modules', '@aws-sdk', 'client-dynamodb'))

const [ endpoint, mode, table, id ] = process.argv.slice(2)
if (!endpoint || !mode || !table) {
  console.error('usage: sdk_roundtrip.js ENDPOINT write|read TABLE [ID]')
  process.exit(2)
}

const client = new DynamoDBClient({
  endpoint,
  region: 'eu-west-2',
  // DynamoDB Local keeps each access key's tables apart: the caller names the one it uses.
  credentials: { accessKeyId: process.env.SDK_ACCESS_KEY_ID || 'sdk-interop', secretAccessKey: 'sdk-interop' },
  maxAttempts: 2,
})

const bytes = (...values) => Uint8Array.from(values)

// Attribute values as the SDK takes them (binary as Uint8Array).
const records = [
  {
    id: { S: 'sdk-scalars' },
    s: { S: 'plain text with "quotes", \\ and unicode: Zoë ключ 😀' },
    empty: { S: '' },
    big: { N: '12345678901234567890123456789012345678' },
    small: { N: '0.000000000000000000000000000000000001' },
    negative: { N: '-98765432109876543210.987654321098765432' },
    b: { B: bytes(0, 1, 2, 253, 254, 255) },
    t: { BOOL: true },
    f: { BOOL: false },
    z: { NULL: true },
  },
  {
    id: { S: 'sdk-sets' },
    ss: { SS: [ 'a', 'b', 'ü' ] },
    ns: { NS: [ '1', '2.5', '-3', '99999999999999999999999999999999999999' ] },
    bs: { BS: [ bytes(1), bytes(2, 3), bytes(255) ] },
  },
  {
    id: { S: 'sdk-nested' },
    m: {
      M: {
        'dotted.key': { S: 'x' },
        '$dollar': { N: '1' },
        inner: { M: { list: { L: [ { S: 'a' }, { N: '2' }, { B: bytes(7) }, { SS: [ 'q' ] }, { M: {} }, { L: [] }, { NULL: true } ] } } },
      },
    },
    deep: { M: { a: { M: { b: { M: { c: { M: { d: { L: [ { M: { e: { BOOL: false } } } ] } } } } } } } } },
  },
]

// The SDK's attribute values as DynamoDB JSON (base64 for binary).
function toJson (value) {
  const [ type ] = Object.keys(value)
  const v = value[type]
  switch (type) {
  case 'B': return { B: Buffer.from(v).toString('base64') }
  case 'BS': return { BS: v.map(b => Buffer.from(b).toString('base64')) }
  case 'M': return { M: Object.fromEntries(Object.entries(v).map(([ k, x ]) => [ k, toJson(x) ])) }
  case 'L': return { L: v.map(toJson) }
  default: return { [type]: v }
  }
}
const itemJson = item => JSON.stringify(Object.fromEntries(Object.entries(item).map(([ k, v ]) => [ k, toJson(v) ])))

async function main () {
  if (mode === 'write') {
    for (const item of records) {
      await client.send(new PutItemCommand({ TableName: table, Item: item }))
      process.stdout.write(itemJson(item) + '\n')
    }
  }
  else if (mode === 'read') {
    const out = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))
    if (!out.Item) {
      console.error(`no record ${id} in ${table}`)
      process.exit(1)
    }
    process.stdout.write(itemJson(out.Item) + '\n')
  }
  else {
    console.error(`unknown mode ${mode}`)
    process.exit(2)
  }
}

main().catch(error => {
  console.error(error && error.stack ? error.stack : String(error))
  process.exit(1)
})
