/** A block of an HCL file: `type "label" … { attributes and blocks }`. */
export interface HclBlock {
  type: string;
  labels: string[];
  /** Top-level attributes of the body: name → the expression's source text. */
  attributes: Record<string, string>;
  blocks: HclBlock[];
}

/**
 * Reads the structure of an HCL (Terraform) file: its blocks with their labels, nested blocks and
 * attributes, each attribute's expression kept as source text. Enough to check what a
 * configuration declares without Terraform; it does not evaluate anything.
 */
export function readHcl(text: string): HclBlock[] {
  const reader = new Reader(text);
  const body = reader.body(false);
  return body.blocks;
}

class Reader {
  private at = 0;

  constructor(private readonly text: string) {}

  body(nested: boolean): Pick<HclBlock, 'attributes' | 'blocks'> {
    const attributes: Record<string, string> = {};
    const blocks: HclBlock[] = [];
    for (;;) {
      this.skip(true);
      if (this.at >= this.text.length) {
        if (nested) this.fail('unclosed block');
        return { attributes, blocks };
      }
      if (this.text[this.at] === '}') {
        if (!nested) this.fail('unexpected }');
        this.at += 1;
        return { attributes, blocks };
      }
      const name = this.identifier();
      this.skip(false);
      if (this.text[this.at] === '=' && this.text[this.at + 1] !== '=') {
        this.at += 1;
        attributes[name] = this.expression();
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.at] !== '{') {
        labels.push(this.text[this.at] === '"' ? JSON.parse(this.string()) : this.identifier());
        this.skip(false);
      }
      this.at += 1;
      blocks.push({ type: name, labels, ...this.body(true) });
    }
  }

  /** Spaces and comments; newlines too when `newlines`. */
  private skip(newlines: boolean): void {
    for (;;) {
      const rest = this.text.slice(this.at, this.at + 2);
      const c = this.text[this.at];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.at += 1;
      else if (c === '#' || rest === '//') this.toLineEnd();
      else if (rest === '/*') this.at = this.indexOrFail('*/', this.at + 2) + 2;
      else return;
    }
  }

  private toLineEnd(): void {
    const end = this.text.indexOf('\n', this.at);
    this.at = end < 0 ? this.text.length : end;
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a name');
    this.at += match[0].length;
    return match[0];
  }

  /** A quoted string with its quotes, `${…}` and `%{…}` templates included. */
  private string(): string {
    const start = this.at;
    this.at += 1;
    while (this.at < this.text.length) {
      const c = this.text[this.at];
      if (c === '\\') this.at += 2;
      else if (c === '"') {
        this.at += 1;
        return this.text.slice(start, this.at);
      } else if ((c === '$' || c === '%') && this.text[this.at + 1] === '{') {
        this.at += 2;
        this.until('}');
      } else if (c === '\n') this.fail('unterminated string');
      else this.at += 1;
    }
    return this.fail('unterminated string');
  }

  /** `<<EOT` or `<<-EOT` up to the line holding only the delimiter. */
  private heredoc(): void {
    const match = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(this.text.slice(this.at));
    if (!match) this.fail('malformed heredoc');
    this.at += match[0].length;
    for (;;) {
      const end = this.text.indexOf('\n', this.at);
      const line = this.text.slice(this.at, end < 0 ? undefined : end);
      if (line.trim() === match[1]) {
        // The newline after the delimiter ends the attribute.
        this.at = end < 0 ? this.text.length : end;
        return;
      }
      if (end < 0) this.fail('unterminated heredoc');
      this.at = end + 1;
    }
  }

  /** Source text up to `closer` at nesting depth 0 (consumed, not included). */
  private until(closer: string): string {
    const start = this.at;
    const open: string[] = [];
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      if (open.length === 0 && c === closer) {
        this.at += 1;
        return this.text.slice(start, this.at - 1);
      }
      this.token(open);
    }
    return this.fail(`expected ${closer}`);
  }

  /** An attribute's expression: to the end of its line, brackets and strings spanning lines. */
  private expression(): string {
    const start = this.at;
    const open: string[] = [];
    while (this.at < this.text.length) {
      const c = this.text[this.at]!;
      // The end of its line, or of a one-line block (`lifecycle { prevent_destroy = true }`).
      const end = c === '\n' || c === '#' || c === '}' || this.text.startsWith('//', this.at);
      if (open.length === 0 && end) break;
      this.token(open);
    }
    return this.text.slice(start, this.at).trim();
  }

  private token(open: string[]): void {
    const c = this.text[this.at]!;
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    if (c === '"') this.string();
    else if (
      this.text.startsWith('<<', this.at) &&
      /^<<-?[A-Za-z_]/.test(this.text.slice(this.at))
    ) {
      this.heredoc();
    } else if (c === '#' || this.text.startsWith('//', this.at)) this.toLineEnd();
    else if (this.text.startsWith('/*', this.at)) this.at = this.indexOrFail('*/', this.at + 2) + 2;
    else {
      if (pairs[c]) open.push(pairs[c]);
      else if (c === open.at(-1)) open.pop();
      else if (c === ')' || c === ']' || c === '}') this.fail(`unbalanced ${c}`);
      this.at += 1;
    }
  }

  private indexOrFail(needle: string, from: number): number {
    const index = this.text.indexOf(needle, from);
    if (index < 0) this.fail(`expected ${needle}`);
    return index;
  }

  private fail(message: string): never {
    const line = this.text.slice(0, this.at).split('\n').length;
    throw new Error(`HCL line ${line}: ${message}`);
  }
}

/** The strings of an expression's source text, e.g. the names in `toset(["a", "b"])`. */
export function stringsOf(expression: string): string[] {
  return [...expression.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
}
