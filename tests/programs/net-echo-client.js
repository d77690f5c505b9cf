// A Node.js client on the net module: connects, sends a line, ends its
// side, and prints what comes back until the server closes. A test program
// for sockstep run (tests/programs/world.sh).
const net = require('net');
const host = process.argv[2] || '127.0.0.1';
const sock = net.connect(65432, host, () => sock.end('hello from node\n'));
sock.on('data', (data) => process.stdout.write(data));
