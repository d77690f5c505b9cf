// A Node.js echo server on the net module: echoes each connection, and
// stops listening after its first, so the event loop ends once that
// client is gone. A test program for sockstep run (tests/programs/world.sh).
const net = require('net');
const host = process.argv[2] || '127.0.0.1';
const server = net.createServer((sock) => {
	server.close();
	sock.pipe(sock);
});
server.listen(65432, host);
