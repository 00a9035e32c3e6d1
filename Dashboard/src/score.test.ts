import { describe, expect, it } from "vitest";
import { scoreColor } from "./score";

describe("readiness colours", () => {
  it("are red below 60, amber below 80 and green from 80", () => {
    expect(scoreColor(59)).toBe("#f87171");
    expect(scoreColor(60)).toBe("#fbbf24");
    expect(scoreColor(79)).toBe("#fbbf24");
    expect(scoreColor(80)).toBe("#34d399");
  });
});
