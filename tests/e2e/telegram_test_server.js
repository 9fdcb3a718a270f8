// telegram-test-api on 127.0.0.1:<port>, for the end-to-end tests.
// Prints "ready <port>" once listening; stops when its stdin closes (the test process went away).
'use strict';
const TelegramServer = require('telegram-test-api');

// Its client routes do not await their promises: an error there must not end Node.
process.on('unhandledRejection', (err) => console.error('unhandledRejection:', err && err.stack ? err.stack : err));
process.on('uncaughtException', (err) => console.error('uncaughtException:', err && err.stack ? err.stack : err));

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node telegram_test_server.js PORT');
  process.exit(2);
}
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });

function stop(code) {
  Promise.resolve(server.stop()).catch(() => {}).finally(() => process.exit(code));
}

server.start()
  .then(() => console.log(`ready ${port}`))
  .catch((err) => { console.error('cannot start:', err && err.message ? err.message : err); process.exit(1); });

process.stdin.on('end', () => stop(0));
process.stdin.on('error', () => stop(0));
process.stdin.resume();
process.on('SIGTERM', () => stop(0));
