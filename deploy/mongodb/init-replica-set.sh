#!/bin/sh
# One-shot step of docker-compose.yml (service mongodb-init), run on every `docker compose up`:
# waits for mongod to answer, then init-replica-set.js initiates the replica set (once), waits for
# PRIMARY and creates or updates Switchboard's and the vault's users. Settings come from the environment.
set -eu

host=${MONGODB_HOST:?MONGODB_HOST (host:port of the member) is not set}
script=$(dirname "$0")/init-replica-set.js

# hello needs no authentication and answers before the replica set is initiated.
tries=0
until mongosh --quiet "mongodb://$host/?directConnection=true" --eval 'db.hello().ok' > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "mongodb-init: $host did not answer within 120 s" >&2
    exit 1
  fi
  sleep 2
done

# The credentials reach the script through the environment, never the command line.
exec mongosh --quiet "mongodb://$host/admin?directConnection=true" --file "$script"
