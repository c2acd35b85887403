// Rewrites docs/derivatives.md from the formula comments beside every Autograd.Record call in src/SharpGrad.
using SharpGrad.Tools;

string root = DerivativesTable.FindRoot(args.Length > 0 ? args[0] : Directory.GetCurrentDirectory());
var rows = DerivativesTable.Scan(root);
var bare = rows.Where(r => r.Gradients.Count == 0).ToList();
foreach (var r in bare) Console.Error.WriteLine($"{r.File}:{r.Line}: {r.Op} has no formula comment (// dL/dx = …)");
File.WriteAllText(Path.Combine(root, DerivativesTable.TablePath), DerivativesTable.Render(rows));
Console.WriteLine($"{DerivativesTable.TablePath}: {rows.Count} ops");
return bare.Count == 0 ? 0 : 1;
