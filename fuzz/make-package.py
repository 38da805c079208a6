"""Writes the fuzz package's manifest: the project's own targets plus one executable per fuzz target.

The project's Package.swift is reused as it is (its targets live in Sources/, linked into the fuzz
package), with one `fuzz-NAME` executable per folder of fuzz/Targets appended. Each fuzz target
names its imports in a first-line comment `// deps: A, B` (default: ArazzoYAML).
"""
import os
import re
import sys

manifest = open(sys.argv[1]).read()
targets_dir = sys.argv[2]
additions = []
for name in sorted(os.listdir(targets_dir)):
    main = os.path.join(targets_dir, name, "main.swift")
    deps = ["ArazzoYAML"]
    for line in open(main):
        m = re.match(r"\s*import\s+(\w+)", line)
        if m and m.group(1).startswith("Arazzo"):
            if m.group(1) not in deps:
                deps.append(m.group(1))
    deps = [d for d in deps]
    additions.append(
        '        .executableTarget(name: "fuzz-%s", dependencies: [%s], path: "Sources/fuzz-%s"),'
        % (name, ", ".join('"%s"' % d for d in deps), name))
    additions.append('')
products = "".join('        .executable(name: "fuzz-%s", targets: ["fuzz-%s"]),\n' % (n, n) for n in sorted(os.listdir(targets_dir)))
manifest = manifest.replace("    products: [\n", "    products: [\n" + products, 1)
# Append the fuzz targets at the end of the targets array.
idx = manifest.rstrip().rfind("]")
manifest = manifest[:idx].rstrip() + "\n" + "\n".join(a for a in additions if a) + "\n    ]\n)\n"
print(manifest)
