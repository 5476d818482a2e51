// mongosh script of docker-compose.yml's mongodb-init (started by init-replica-set.sh, connected to the
// member's admin database). Every step is idempotent, so it runs on every `docker compose up`:
//   1. authenticate as the root user (created by the mongo image when the data volume was new);
//   2. initiate the one-member replica set REPLICA_SET with MONGODB_HOST, unless it already is;
//   3. wait until this member is PRIMARY (writable);
//   4. create or update Switchboard's user (readWrite on APP_DB only) and the vault's user (readWrite on
//      VAULT_DB only), so neither set of credentials opens the other's data.
/* global db, rs, print, sleep, process */

const settings = Object.fromEntries(
  ['MONGODB_HOST', 'REPLICA_SET', 'MONGODB_ROOT_USER', 'MONGODB_ROOT_PASSWORD', 'APP_DB', 'APP_USER', 'APP_PASSWORD', 'VAULT_DB', 'VAULT_USER', 'VAULT_PASSWORD'].map(
    (name) => {
      const value = process.env[name];
      if (!value) throw new Error(`mongodb-init: ${name} is not set`);
      return [name, value];
    },
  ),
);
if (settings.APP_DB === settings.VAULT_DB) throw new Error('mongodb-init: the vault needs a database of its own (VAULT_DB = APP_DB)');

db.getSiblingDB('admin').auth(settings.MONGODB_ROOT_USER, settings.MONGODB_ROOT_PASSWORD);

function replicaSetInitiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.codeName === 'NotYetInitialized' || error.code === 94) return false;
    throw error;
  }
}

if (replicaSetInitiated()) {
  print(`mongodb-init: replica set already initiated`);
} else {
  rs.initiate({ _id: settings.REPLICA_SET, members: [{ _id: 0, host: settings.MONGODB_HOST }] });
  print(`mongodb-init: replica set ${settings.REPLICA_SET} initiated with member ${settings.MONGODB_HOST}`);
}

const deadline = Date.now() + 60_000;
while (!db.hello().isWritablePrimary) {
  if (Date.now() > deadline) throw new Error('mongodb-init: this member did not become PRIMARY within 60 s');
  sleep(500);
}
print('mongodb-init: PRIMARY');

function ensureUser(dbName, user, pwd) {
  const database = db.getSiblingDB(dbName);
  const roles = [{ role: 'readWrite', db: dbName }];
  if (database.getUser(user)) {
    database.updateUser(user, { pwd, roles });
    print(`mongodb-init: user ${user} of ${dbName} updated`);
  } else {
    database.createUser({ user, pwd, roles });
    print(`mongodb-init: user ${user} of ${dbName} created`);
  }
}

ensureUser(settings.APP_DB, settings.APP_USER, settings.APP_PASSWORD);
ensureUser(settings.VAULT_DB, settings.VAULT_USER, settings.VAULT_PASSWORD);
