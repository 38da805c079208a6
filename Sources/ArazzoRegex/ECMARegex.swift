import ArazzoDiagnostics
import Foundation

/// An ECMA-262 regular expression, compiled once and safe to share between tasks.
///
/// The pattern is translated to ICU syntax (see `translatedPattern`) and run by
/// `NSRegularExpression`, so results follow ECMA-262: `\d`, `\w`, `\b` and `\s` use the ECMA
/// character sets, `$` means end of input, `.` excludes only the four ECMA line terminators.
///
/// Supported flags: `i` (ignore case), `m` (multiline `^`/`$`), `s` (dotAll), `u` (Unicode mode:
/// strict escapes, `\u{…}`, `\p{…}`), `y` (sticky: `test` matches only at offset 0), and `g`/`d`,
/// which do not change the result of a single `test`. The `v` flag is rejected.
///
/// Known deviations, all rare in API conditions:
/// - Matching is by code point in every mode, as ECMA does only with `u`. Without `u`, ECMA sees
///   an astral character (e.g. an emoji) as two UTF-16 units, so `^.$` does not match "😀" there,
///   `😀*` quantifies only the low surrogate, and `[😀]` matches any character sharing its high
///   surrogate; here all three treat the emoji as one character.
/// - A quantified group does not clear its inner captures at each iteration, so after
///   `(?:(a)|b)+` a reference to group 1 still sees the `a` of an earlier iteration (ECMA: unset).
/// - Lookbehind must have a bounded length (an ICU limit); otherwise construction throws.
/// - ICU gives up the whole search when a lazy quantifier over a group that can match empty is
///   followed by a failing continuation: `(?:a?)+?x|y?` does not match "q" (ECMA: it does).
/// - `\u{…}` without `u` is rejected (Annex B would read it as `u` repeated), and so are
///   `(?flags:…)` modifiers (ES2025).
/// - Case-insensitive matching uses ICU's Unicode case folding rather than ECMA's upper-casing,
///   which differs only outside ASCII: with `i`, `ß` matches "SS", `ſ` matches "s" and the Kelvin
///   sign matches `[a-z]` here but not in ECMA without `u`.
/// - Inputs longer than `maximumInputLength` UTF-16 units are not searched, and a search that
///   runs past its time limit is abandoned (see `evaluate`): patterns like `^(a+)+$` backtrack
///   exponentially in ICU as in every backtracking engine.
package struct ECMARegex: Sendable, Hashable {
    /// The pattern as written (ECMA-262 syntax, without slashes).
    package let pattern: String
    /// The flags as written.
    package let flags: String
    /// The equivalent ICU pattern handed to `NSRegularExpression`.
    package let translatedPattern: String
    private let sticky: Bool
    private let compiled: NSRegularExpression

    /// Inputs longer than this many UTF-16 code units are never searched (1 MiB): together with
    /// the time limit this bounds the work a hostile body can cause.
    package static let maximumInputLength = 1 << 20

    /// Patterns longer than this many characters are refused (64 Ki): condition patterns are
    /// short, and the cap bounds translation and compilation work on a hostile document.
    package static let maximumPatternLength = 1 << 16

    /// The search time `test` allows before giving up. ICU's own time limit is not reachable
    /// through Foundation, but `NSRegularExpression`'s progress callback is, and it is checked
    /// against this budget while the engine backtracks.
    package static let defaultTimeLimit: Duration = .seconds(1)

    /// Compiles `pattern` with `flags` (e.g. `"i"`, `"ms"`); throws when ECMA-262 would reject
    /// the pattern or the flags, or when the platform engine cannot run it.
    package init(_ pattern: String, flags: String = "") throws(RegexSyntaxError) {
        var options = ECMAPatternTranslator.Options()
        var icuOptions: NSRegularExpression.Options = []
        var sticky = false
        var seen = Set<Character>()
        for flag in flags {
            guard seen.insert(flag).inserted else {
                throw RegexSyntaxError(message: "flag `\(flag)` is given twice", offset: 0)
            }
            switch flag {
            case "i": icuOptions.insert(.caseInsensitive)
            case "m": options.multiline = true
            case "s": options.dotAll = true
            case "u": options.unicode = true
            case "y": sticky = true
            case "g", "d": break
            case "v":
                throw RegexSyntaxError(message: "the `v` (unicodeSets) flag is not supported; use `u`", offset: 0)
            default:
                throw RegexSyntaxError(
                    message: "unknown flag `\(flag)`; ECMA-262 flags are d, g, i, m, s, u, y", offset: 0)
            }
        }
        guard pattern.utf8.count <= Self.maximumPatternLength || pattern.count <= Self.maximumPatternLength else {
            throw RegexSyntaxError(
                message: "the pattern is longer than \(Self.maximumPatternLength) characters", offset: Self.maximumPatternLength)
        }
        let translated = try ECMAPatternTranslator.translate(pattern, options: options)
        let compiled: NSRegularExpression
        do {
            compiled = try NSRegularExpression(pattern: translated, options: icuOptions)
        } catch {
            let hint =
                translated.contains("(?<=") || translated.contains("(?<!")
                ? "; lookbehind must have a bounded length on this platform" : ""
            throw RegexSyntaxError(
                message: "the platform regex engine (ICU) cannot compile this pattern\(hint)", offset: 0)
        }
        self.pattern = pattern
        self.flags = flags
        self.translatedPattern = translated
        self.sticky = sticky
        self.compiled = compiled
    }

    /// Whether the pattern matches anywhere in `input`, like `RegExp.prototype.test` on a fresh
    /// expression (with `y`, only at the start).
    ///
    /// Returns `false` when the search cannot be completed: `input` longer than
    /// `maximumInputLength`, or a search running past `defaultTimeLimit`. Use `evaluate` to tell
    /// those cases apart from a real non-match.
    package func test(_ input: String) -> Bool {
        (try? evaluate(input).get()) ?? false
    }

    /// Searches `input` like `test`, but reports an input that is too long or a search that
    /// exceeded `timeLimit` as an error instead of `false`.
    package func evaluate(_ input: String, timeLimit: Duration = defaultTimeLimit) -> Result<Bool, RegexMatchError> {
        let length = input.utf16.count
        guard length <= Self.maximumInputLength else {
            return .failure(RegexMatchError(
                kind: .inputTooLong,
                message: "the input is \(length) UTF-16 units long; regex conditions search at most \(Self.maximumInputLength)"))
        }
        var options: NSRegularExpression.MatchingOptions = [.reportProgress]
        if sticky { options.insert(.anchored) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeLimit)
        var matched = false
        var timedOut = false
        compiled.enumerateMatches(in: input, options: options, range: NSRange(location: 0, length: length)) {
            result, _, stop in
            if result != nil {
                matched = true
                stop.pointee = true
            } else if clock.now >= deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        if matched { return .success(true) }
        if timedOut {
            return .failure(RegexMatchError(
                kind: .timeLimitExceeded,
                message: "the search for /\(pattern)/ was abandoned after \(timeLimit); the pattern backtracks too much on this input"))
        }
        return .success(false)
    }

    /// Two expressions are equal when written with the same pattern and flags.
    package static func == (lhs: ECMARegex, rhs: ECMARegex) -> Bool {
        lhs.pattern == rhs.pattern && lhs.flags == rhs.flags
    }

    /// Hashes the pattern and flags, consistently with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(flags)
    }
}
