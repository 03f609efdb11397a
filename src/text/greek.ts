/**
 * Greek letters and their names, lower case, as paper titles use them ("δ-mem", "π^3",
 * "τ-bench", "αDepth") and as people type them ("delta mem", "pi 3", "tau bench",
 * "alphadepth"). Both ϵ and ε are epsilon, both ϕ and φ phi.
 */
const letters: Record<string, string[]> = {
  alpha: ["α"],
  beta: ["β"],
  gamma: ["γ"],
  delta: ["δ"],
  epsilon: ["ε", "ϵ"],
  zeta: ["ζ"],
  eta: ["η"],
  theta: ["θ"],
  iota: ["ι"],
  kappa: ["κ"],
  lambda: ["λ"],
  mu: ["μ"],
  nu: ["ν"],
  xi: ["ξ"],
  omicron: ["ο"],
  pi: ["π"],
  rho: ["ρ"],
  sigma: ["σ"],
  tau: ["τ"],
  upsilon: ["υ"],
  phi: ["φ", "ϕ"],
  chi: ["χ"],
  psi: ["ψ"],
  omega: ["ω"],
};
const nameOf = new Map(
  Object.entries(letters).flatMap(([name, forms]) => forms.map((letter) => [letter, name])),
);

/**
 * The word with a Greek letter for the name it starts with, or the name for the letter it
 * starts with: "delta" → "δ", "alphadepth" → "αdepth", "π" → "pi". Callers keep only the
 * forms the archive has.
 */
export function greekVariants(word: string): string[] {
  const variants: string[] = [];
  const first = word.charAt(0);
  const name = nameOf.get(first);
  if (name) variants.push(name + word.slice(1));
  for (const [start, forms] of Object.entries(letters)) {
    if (!word.startsWith(start)) continue;
    for (const letter of forms) variants.push(letter + word.slice(start.length));
  }
  return variants;
}
