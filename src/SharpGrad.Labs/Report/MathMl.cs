using System.Net;
using System.Text;

namespace SharpGrad.Labs.Report;

/// <summary>
/// Converts the small TeX-like subset the labs' Markdown writes between <c>$…$</c> into a MathML <c>&lt;math&gt;</c>
/// element, which Chromium renders natively (the report stays one offline file). The subset: letters (Greek by name
/// or as Unicode) become identifiers, digits numbers, everything else operators; <c>_</c> and <c>^</c> with an atom
/// or a <c>{group}</c>; <c>\frac{a}{b}</c>, <c>\sqrt{a}</c>, <c>\hat</c>/<c>\tilde</c>/<c>\bar{a}</c>,
/// <c>\text{…}</c>, named symbols (<c>\nabla</c>, <c>\le</c>, …) and functions (<c>\log</c>, <c>\tanh</c>, …);
/// Unicode sub- and superscript characters (β₁, β₂ᵗ, x², Hᵀ) as if written with <c>_</c> and <c>^</c>.
/// </summary>
public static class MathMl
{
    /// <summary>The <c>&lt;math&gt;</c> element for <paramref name="tex"/>; <paramref name="display"/> makes it a block.</summary>
    public static string FromTex(string tex, bool display = false)
    {
        var parser = new Parser(tex);
        string body = parser.Row(endAt: null);
        return $"<math{(display ? " display=\"block\"" : "")}>{body}</math>";
    }

    static readonly Dictionary<string, string> Letters = new()
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["varepsilon"] = "ε", ["zeta"] = "ζ",
        ["eta"] = "η", ["theta"] = "θ", ["kappa"] = "κ", ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π",
        ["rho"] = "ρ", ["sigma"] = "σ", ["tau"] = "τ", ["phi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω",
        ["Gamma"] = "Γ", ["Delta"] = "Δ", ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Sigma"] = "Σ", ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["ell"] = "ℓ", ["infty"] = "∞", ["partial"] = "∂", ["nabla"] = "∇",
    };

    static readonly Dictionary<string, string> Operators = new()
    {
        ["cdot"] = "·", ["times"] = "×", ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["approx"] = "≈",
        ["leftarrow"] = "←", ["rightarrow"] = "→", ["to"] = "→", ["in"] = "∈", ["pm"] = "±", ["sum"] = "∑", ["prod"] = "∏",
        ["int"] = "∫", ["odot"] = "⊙", ["star"] = "⋆", ["ldots"] = "…", ["mid"] = "|", ["|"] = "‖", ["{"] = "{", ["}"] = "}",
        ["langle"] = "⟨", ["rangle"] = "⟩", ["lfloor"] = "⌊", ["rfloor"] = "⌋", ["Vert"] = "‖",
    };

    static readonly HashSet<string> Functions = ["log", "exp", "max", "min", "sup", "inf", "tanh", "sin", "cos", "det", "tr", "arg", "sign", "diag"];

    static readonly Dictionary<string, string> Accents = new() { ["hat"] = "^", ["tilde"] = "~", ["bar"] = "¯" };

    const string ApplyFunction = "<mo>&#x2061;</mo>";

    const string Subscripts = "₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₒₓₜᵢⱼₖₙₘ";
    const string SubscriptPlain = "0123456789+−aeoxtijknm";
    const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ᵀᵗⁱⁿ";
    const string SuperscriptPlain = "0123456789+−Ttin";

    sealed class Parser(string tex)
    {
        int _at;
        bool _applyFunction;   // the atom just read was a function name: its scripts go on the name, then U+2061 follows

        // A sequence of atoms up to endAt (or the end), each with its scripts; wrapped in <mrow> when more than one.
        public string Row(char? endAt)
        {
            var atoms = new List<string>();
            while (true)
            {
                SkipSpace();
                if (_at >= tex.Length)
                {
                    if (endAt is not null) throw Error($"missing '{endAt}'");
                    break;
                }
                if (endAt is not null && tex[_at] == endAt) { _at++; break; }
                string atom = Atom();
                bool function = _applyFunction;
                _applyFunction = false;
                atoms.Add(Scripts(atom) + (function ? ApplyFunction : ""));
            }
            // One atom stands alone (a script's argument must be one element); a function name and its U+2061 are two.
            bool alone = atoms.Count == 1 && !atoms[0].EndsWith(ApplyFunction, StringComparison.Ordinal);
            return alone ? atoms[0] : $"<mrow>{string.Concat(atoms)}</mrow>";
        }

        string Scripts(string nucleus)
        {
            string? sub = null, sup = null;
            while (_at < tex.Length)
            {
                char c = tex[_at];
                if (c == '_' && sub is null) { _at++; sub = Argument(); }
                else if (c == '^' && sup is null) { _at++; sup = Argument(); }
                else if (Subscripts.Contains(c) && sub is null) sub = Unicode(Subscripts, SubscriptPlain);
                else if (Superscripts.Contains(c) && sup is null) sup = Unicode(Superscripts, SuperscriptPlain);
                else break;
            }
            return (sub, sup) switch
            {
                (null, null) => nucleus,
                (not null, null) => $"<msub>{nucleus}{sub}</msub>",
                (null, not null) => $"<msup>{nucleus}{sup}</msup>",
                _ => $"<msubsup>{nucleus}{sub}{sup}</msubsup>",
            };
        }

        // A run of Unicode sub- or superscript characters, e.g. "₁₂" → <mn>12</mn>, "ᵗ" → <mi>t</mi>.
        string Unicode(string scripts, string plain)
        {
            var text = new StringBuilder();
            while (_at < tex.Length && scripts.IndexOf(tex[_at]) is var k and >= 0)
            {
                text.Append(plain[k]);
                _at++;
            }
            var s = text.ToString();
            if (s.All(char.IsDigit)) return $"<mn>{s}</mn>";
            if (s.Length == 1) return Token(s[0]);
            return $"<mrow>{string.Concat(s.Select(Token))}</mrow>";
        }

        // The argument of _, ^, \frac, …: a {group} or a single atom (one letter or digit, as in TeX).
        string Argument()
        {
            SkipSpace();
            if (_at >= tex.Length) throw Error("a script or command needs an argument");
            if (tex[_at] == '{')
            {
                _at++;
                return Row('}');
            }
            char c = tex[_at];
            if (char.IsDigit(c)) { _at++; return $"<mn>{c}</mn>"; }
            return Atom();
        }

        string Atom()
        {
            char c = tex[_at];
            if (c == '{') { _at++; return Row('}'); }
            if (c == '\\') return Command();
            if (char.IsDigit(c))
            {
                int start = _at;
                while (_at < tex.Length && (char.IsDigit(tex[_at]) || tex[_at] == '.' && _at + 1 < tex.Length && char.IsDigit(tex[_at + 1]))) _at++;
                return $"<mn>{tex[start.._at]}</mn>";
            }
            _at++;
            if (char.IsLetter(c)) return Mi(c.ToString());
            if (char.IsSurrogate(c)) throw Error("characters outside the Basic Multilingual Plane are not supported");
            if (c == '}') throw Error("unbalanced '}'");
            return Mo(c == '-' ? "−" : c.ToString());
        }

        string Command()
        {
            _at++;                                                   // the backslash
            if (_at >= tex.Length) throw Error("a lone '\\' at the end");
            int start = _at;
            if (char.IsLetter(tex[_at])) while (_at < tex.Length && char.IsLetter(tex[_at])) _at++;
            else _at++;                                              // \{ \} \| \, \;
            string name = tex[start.._at];
            if (name is "," or ";" or " ") return "<mspace width=\"0.25em\"/>";
            if (Letters.TryGetValue(name, out var letter)) return Mi(letter);
            if (Operators.TryGetValue(name, out var op)) return Mo(op);
            if (Functions.Contains(name))
            {
                _applyFunction = true;
                return $"<mi mathvariant=\"normal\">{name}</mi>";
            }
            if (Accents.TryGetValue(name, out var accent)) return $"<mover accent=\"true\">{Argument()}{Mo(accent)}</mover>";
            return name switch
            {
                "frac" => $"<mfrac>{Argument()}{Argument()}</mfrac>",
                "sqrt" => $"<msqrt>{Argument()}</msqrt>",
                "text" or "mathrm" => $"<mtext>{E(Braced())}</mtext>",
                _ => throw Error($"unknown command \\{name}"),
            };
        }

        // The raw text of a {…} argument (for \text), without nesting.
        string Braced()
        {
            SkipSpace();
            if (_at >= tex.Length || tex[_at] != '{') throw Error("\\text needs a {…} argument");
            int end = tex.IndexOf('}', _at);
            if (end < 0) throw Error("missing '}'");
            string text = tex[(_at + 1)..end];
            _at = end + 1;
            return text;
        }

        void SkipSpace()
        {
            while (_at < tex.Length && tex[_at] == ' ') _at++;
        }

        FormatException Error(string what) => new($"MathMl: {what} at offset {_at} of \"{tex}\"");
    }

    static string Token(char c) => char.IsDigit(c) ? $"<mn>{c}</mn>" : char.IsLetter(c) ? Mi(c.ToString()) : Mo(c.ToString());

    static string Mi(string s) => $"<mi>{E(s)}</mi>";

    // Brackets keep their text size: Chromium would otherwise stretch them around every subscript.
    static string Mo(string s) => "()[]{}|‖".Contains(s, StringComparison.Ordinal) && s.Length == 1
        ? $"<mo stretchy=\"false\">{E(s)}</mo>"
        : $"<mo>{E(s)}</mo>";

    static string E(string s) => WebUtility.HtmlEncode(s);
}
