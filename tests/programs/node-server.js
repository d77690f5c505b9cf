// node-server.js - a Node.js net server: echoes one connection, then
// closes. Node makes its calls from its event loop (epoll) and starts
// threads of its own.
const net = require('net');
const server = net.createServer((c) => {
  c.on('data', (d) => c.write(d));
  c.on('end', () => { c.end(); server.close(); });
});
server.listen(65432, '127.0.0.1');
