/**
 * Whether a run of consecutive tokens occurs in a text, answered in the run's length: a suffix
 * automaton over the text's tokens (linear to build). It replaces `text.includes(" a b ")` asked
 * once per line or per skill of a long text, which was quadratic (a 200 KB tailored resume
 * against a 200 KB source; 18,000 distinct acronyms against a resume).
 */
export class TokenRuns {
  private readonly next: Map<string, number>[] = [new Map<string, number>()];
  private readonly link: number[] = [-1];
  private readonly length: number[] = [0];

  constructor(tokens: string[]) {
    let last = 0;
    for (const token of tokens) last = this.extend(last, token);
  }

  private extend(last: number, token: string): number {
    const cur = this.next.push(new Map()) - 1;
    this.length.push(this.length[last]! + 1);
    this.link.push(0);
    let p = last;
    while (p !== -1 && !this.next[p]!.has(token)) {
      this.next[p]!.set(token, cur);
      p = this.link[p]!;
    }
    if (p === -1) return cur;
    const q = this.next[p]!.get(token)!;
    if (this.length[p]! + 1 === this.length[q]) {
      this.link[cur] = q;
      return cur;
    }
    const clone = this.next.push(new Map(this.next[q])) - 1;
    this.length.push(this.length[p]! + 1);
    this.link.push(this.link[q]!);
    while (p !== -1 && this.next[p]!.get(token) === q) {
      this.next[p]!.set(token, clone);
      p = this.link[p]!;
    }
    this.link[q] = clone;
    this.link[cur] = clone;
    return cur;
  }

  has(run: string[]): boolean {
    let state = 0;
    for (const token of run) {
      const to = this.next[state]!.get(token);
      if (to === undefined) return false;
      state = to;
    }
    return true;
  }
}
