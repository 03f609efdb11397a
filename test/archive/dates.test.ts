import { describe, expect, it } from "vitest";
import { datePart, isoDate, latestDate, monthNumber } from "../../src/archive/dates.ts";

describe("dates", () => {
  it("knows which days exist", () => {
    expect(isoDate(2024, 2, 29)).toBe("2024-02-29");
    expect(isoDate(2023, 2, 29)).toBeUndefined();
    expect(isoDate(2100, 2, 29)).toBeUndefined();
    expect(isoDate(2025, 4, 31)).toBeUndefined();
    expect(isoDate(2025, 13, 1)).toBeUndefined();
    expect(isoDate(2025, 1, 0)).toBeUndefined();
  });

  it("reads only the abbreviations listings use", () => {
    expect(monthNumber("Jan")).toBe(1);
    expect(monthNumber("Dec")).toBe(12);
    expect(monthNumber("Oct")).toBe(10);
    expect(monthNumber("Octopus")).toBeUndefined();
    expect(monthNumber("dec")).toBeUndefined();
  });

  it("takes the latest matching day not after the reference", () => {
    expect(latestDate(12, 30, "2026-01-05")).toBe("2025-12-30");
    expect(latestDate(1, 5, "2026-01-05")).toBe("2026-01-05");
    expect(latestDate(1, 6, "2026-01-05")).toBe("2025-01-06");
    expect(latestDate(2, 29, "2026-03-10")).toBe("2024-02-29");
    expect(latestDate(2, 29, "2024-02-28")).toBe("2020-02-29");
    expect(latestDate(2, 30, "2026-03-10")).toBeUndefined();
  });

  it("takes the calendar date of ISO dates and timestamps only", () => {
    expect(datePart("2024-06-28")).toBe("2024-06-28");
    expect(datePart("2024-06-28T17:59:59.000Z")).toBe("2024-06-28");
    expect(datePart("2024-02-30")).toBeUndefined();
    expect(datePart("June 28, 2024")).toBeUndefined();
    expect(datePart("2024-06-28junk")).toBeUndefined();
    expect(datePart(20240628)).toBeUndefined();
  });
});
