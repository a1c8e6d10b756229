/** Loopback detection and the record of guard violations shared by the preload and its own test. */
const violations: string[] = [];

/** True for names and addresses that stay on this machine: localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

export function recordViolation(message: string): void {
  violations.push(message);
}

/** Every violation so far. */
export function networkViolations(): readonly string[] {
  return violations;
}

/** Removes and returns the violations: only the guard's own test, which provokes one, uses this. */
export function takeViolations(): string[] {
  return violations.splice(0);
}
