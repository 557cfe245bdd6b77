import { describe, expect, it } from 'vitest';
import { readHcl, stringsOf } from './readHcl.js';

const example = `
# A comment with { braces and "quotes"
variable "capacity" {
  description = "Sizes: {cpu} # not a comment"
  type = map(object({
    cpu    = number // a comment inside
    memory = optional(number, 512)
  }))
}

module "provider-cliniq" {
  source = "../container-service" /* trailing */
  port   = 4010
  env    = { URL = "http://\${var.host}:\${jsonencode({ a = "}" })}" }
  policy = <<-EOT
    { "unbalanced": "}}" }
  EOT
  lifecycle { prevent_destroy = true }

  dynamic "load_balancer" {
    for_each = []
    content {}
  }
}

locals {
  services = toset(["gateway", "scheduling"])
}
`;

describe('readHcl', () => {
  it('reads blocks, labels, nested blocks and attributes as source text', () => {
    const [variable, module, locals] = readHcl(example);
    expect(variable).toMatchObject({
      type: 'variable',
      labels: ['capacity'],
      attributes: { description: '"Sizes: {cpu} # not a comment"' },
    });
    expect(variable!.attributes.type).toMatch(/^map\(object\(\{[\s\S]*\}\)\)$/);
    expect(module!.labels).toEqual(['provider-cliniq']);
    expect(Object.keys(module!.attributes)).toEqual(['source', 'port', 'env', 'policy']);
    expect(module!.attributes.port).toBe('4010');
    expect(module!.blocks.map((b) => [b.type, b.labels])).toEqual([
      ['lifecycle', []],
      ['dynamic', ['load_balancer']],
    ]);
    expect(module!.blocks[0]!.attributes).toEqual({ prevent_destroy: 'true' });
    expect(module!.blocks[1]!.blocks).toEqual([
      { type: 'content', labels: [], attributes: {}, blocks: [] },
    ]);
    expect(stringsOf(locals!.attributes.services!)).toEqual(['gateway', 'scheduling']);
  });

  it('refuses what it cannot read', () => {
    expect(() => readHcl('module "x" {\n  a = 1\n')).toThrow('HCL line 3: unclosed block');
    expect(() => readHcl('a = (1]\n')).toThrow('unbalanced ]');
    expect(() => readHcl('a = "open\n')).toThrow('unterminated string');
  });
});
