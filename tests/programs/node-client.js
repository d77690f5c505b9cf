// node-client.js - a Node.js net client: sends one line, prints the echo.
const net = require('net');
const c = net.connect(65432, '127.0.0.1', () => c.write('hello from node\n'));
c.on('data', (d) => { process.stdout.write('echo: ' + d); c.end(); });
