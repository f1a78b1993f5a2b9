// A real S3 API on loopback (s3rver) in its own process: s3rver makes its pagination tokens
// with DES, which Node's OpenSSL 3 only offers with --openssl-legacy-provider, a flag the test
// process itself should not need. Prints the port on stdout, serves until killed.
import S3rver from "s3rver";

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
const { port } = await server.run();
process.stdout.write(`${port}\n`);
