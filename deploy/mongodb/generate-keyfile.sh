#!/bin/sh
# One-shot step of docker-compose.yml (service mongodb-keyfile), before mongod starts: the key file
# replica-set members authenticate each other with. With --keyFile, mongod also requires every client
# to authenticate. Generated once into its volume and kept; later runs only put owner and mode right.
#   usage: generate-keyfile.sh <path of the key file>
set -eu

keyfile=${1:?usage: generate-keyfile.sh <path of the key file>}

if [ ! -s "$keyfile" ]; then
  umask 077
  # 756 random bytes are 1008 base64 characters: mongod takes 6 to 1024 characters of the base64 set.
  head -c 756 /dev/urandom | base64 -w 0 > "$keyfile.new"
  mv "$keyfile.new" "$keyfile"
  echo "mongodb-keyfile: generated $keyfile"
fi

# mongod runs as the mongo image's mongodb user (uid and gid 999) and refuses a key file that
# anyone else can read.
chown 999:999 "$keyfile"
chmod 0400 "$keyfile"
