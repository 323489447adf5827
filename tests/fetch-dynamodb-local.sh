#!/usr/bin/env bash
# Fetches AWS's DynamoDB Local (DynamoDBLocal.jar and DynamoDBLocal_lib/) for the DynamoDB tests,
# into tests/dynamodb-local/ (not committed). It ships inside the npm package
# amplify-dynamodb-simulator under emulator/; installing that package would pull ~350 MB of
# dependencies, so only its tarball is fetched (npm pack), at a pinned version, checked against
# the integrity hash below, and only the emulator folder is extracted.
#
# Idempotent: nothing is fetched when the folder already holds this version. Needs npm and node
# (make deps installs both); the tests run it with java (openjdk-17-jre-headless).
set -euo pipefail

PACKAGE=amplify-dynamodb-simulator
VERSION=2.9.30 # contains DynamoDB Local 1.25.1
INTEGRITY=sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==

tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
target="$tests/dynamodb-local"
stamp="$target/.fetched"
want="$PACKAGE@$VERSION $INTEGRITY"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$target/DynamoDBLocal.jar" ] &&
    [ -d "$target/DynamoDBLocal_lib" ]; then
    echo "fetch-dynamodb-local: DynamoDB Local from $PACKAGE@$VERSION is in $target"
    exit 0
fi

for tool in npm node tar; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fetch-dynamodb-local: $tool is not installed (make deps installs it)" >&2
        exit 1
    fi
done

work=$(mktemp -d "$tests/.dynamodb-local.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "fetch-dynamodb-local: fetching $PACKAGE@$VERSION (about 56 MB)"
(cd "$work" && npm pack "$PACKAGE@$VERSION" --silent --no-audit --no-fund >/dev/null)
tarball="$work/$PACKAGE-$VERSION.tgz"
if [ ! -f "$tarball" ]; then
    echo "fetch-dynamodb-local: npm pack gave no $PACKAGE-$VERSION.tgz" >&2
    exit 1
fi

got=$(node -e '
const crypto = require("crypto"), fs = require("fs");
process.stdout.write("sha512-" + crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$tarball")
if [ "$got" != "$INTEGRITY" ]; then
    echo "fetch-dynamodb-local: $PACKAGE-$VERSION.tgz does not match its pinned integrity hash" >&2
    echo "  expected $INTEGRITY" >&2
    echo "  got      $got" >&2
    exit 1
fi

mkdir "$work/emulator"
tar -xzf "$tarball" -C "$work/emulator" --strip-components=2 package/emulator
if [ ! -f "$work/emulator/DynamoDBLocal.jar" ] || [ ! -d "$work/emulator/DynamoDBLocal_lib" ]; then
    echo "fetch-dynamodb-local: $PACKAGE-$VERSION.tgz has no emulator/DynamoDBLocal.jar" >&2
    exit 1
fi
printf '%s\n' "$want" >"$work/emulator/.fetched"

rm -rf "$target"
mv "$work/emulator" "$target"
echo "fetch-dynamodb-local: DynamoDB Local is in $target"
