// Starts `ksdevops-sim` (path in KSDEVOPS_SIM) on a free loopback port for a test, with the
// demo scenario and CORS, and talks to its /_sim endpoints.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const PROJECT = "demo-project";
export const USER = "admin";
export const PASSWORD = "P@88w0rd";

export async function startSim({ layout = "v4", speed = 20 } = {}) {
  const bin = process.env.KSDEVOPS_SIM;
  if (!bin) throw new Error("KSDEVOPS_SIM must name the ksdevops-sim binary (cargo xtask test sets it)");
  const child = spawn(bin, ["--listen", "127.0.0.1:0", "--layout", layout, "--speed", String(speed), "--cors"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`ksdevops-sim exited with ${code} before printing its URL`)));
  });
  lines.on("line", () => {});
  const admin = async (method, body) => {
    const response = await fetch(`${url}/_sim/faults`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`/_sim/faults ${method}: ${response.status} ${await response.text()}`);
    return response.json().catch(() => null);
  };
  return {
    url,
    setFaults: (config) => admin("POST", config),
    clearFaults: () => admin("DELETE"),
    faults: () => admin("GET"),
    stop: () => {
      child.kill();
      return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
    },
  };
}

/** Every text chunk of an async iterable, joined. */
export async function joined(stream) {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}
