// A free span of ports for a private cluster (tests, benchmarks): base … base + PORT_SPAN all free.
import { createServer } from "node:net";
import { PORT_SPAN } from "./cluster-layout.js";

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once("error", () => resolveFree(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolveFree(true)));
  });
}

/**
 * A base port whose whole span is free, tried at random in 61000–65400: above Linux's ephemeral
 * range (32768–60999), so neither outgoing connections nor the free ports other processes get
 * from the OS can take one of the cluster's ports between this check and the servers' start.
 */
export async function freeClusterBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 61_000 + 100 * Math.floor(Math.random() * 44);
    let free = true;
    for (let port = base; port <= base + PORT_SPAN && free; port++) {
      free = await portIsFree(port);
    }
    if (free) return base;
  }
  throw new Error(`no free span of ${PORT_SPAN + 1} ports in 61000–65462 for a private cluster`);
}
