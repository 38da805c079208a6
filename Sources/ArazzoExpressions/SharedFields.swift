/// An immutable value held behind one reference: a copy of the holder retains the box, where a
/// copy of the value would retain each of its strings and arrays. The compiled forms the run
/// copies out of its plan at every step (``RuntimeExpression``, ``CompiledCriterion``) keep their
/// fields in one.
final class SharedFields<Fields: Sendable>: Sendable {
    let fields: Fields

    init(_ fields: Fields) {
        self.fields = fields
    }
}
