// A Node.js web server on the http module: answers one request, then
// stops listening, so the event loop ends once that client is gone. A test
// program for sockstep run (tests/programs/world.sh).
const http = require('http');
const server = http.createServer((req, res) => {
	server.close();
	res.setHeader('Connection', 'close');
	res.end(`hello from node, you asked for ${req.url}\n`);
});
server.listen(65432, '127.0.0.1');
