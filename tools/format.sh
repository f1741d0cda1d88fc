#!/bin/sh
# Formats the whole tree with Prettier (.prettierrc.json, .prettierignore), then checks it. Prettier settles a few
# long method chains only on its second pass, hence two writes.
set -e
cd "$(dirname "$0")/.."
npx prettier --write --log-level warn .
npx prettier --write --log-level warn .
npx prettier --check .
