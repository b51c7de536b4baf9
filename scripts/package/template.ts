// Fills @NAME@ placeholders in the installer templates; a placeholder without a value is a build error.
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/@([A-Z_]+)@/g, (match, key: string) => {
    if (!(key in values)) throw new Error(`template placeholder ${match} has no value`);
    return values[key];
  });
}
