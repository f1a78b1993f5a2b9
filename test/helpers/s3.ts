import { spawn } from "node:child_process";
import { once } from "node:events";

export interface S3Server {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver on loopback with the given buckets; credentials: any (set here for the SDK's default chain). */
export async function startS3Server(directory: string, buckets: readonly string[]): Promise<S3Server> {
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  const child = spawn(process.execPath, ["--openssl-legacy-provider", new URL("./s3-server.mjs", import.meta.url).pathname, directory, ...buckets], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await Promise.race([
    once(child.stdout!, "data"),
    once(child, "exit").then(() => {
      throw new Error("s3rver did not start");
    }),
  ])) as [Buffer];
  const port = Number(chunk.toString().trim());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill();
        await once(child, "exit");
      }
    },
  };
}
