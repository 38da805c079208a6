import OrderedCollections
extension ArazzoSpecification {
    /// The parameter an entry stands for: the inline object, or the referenced component with the
    /// Reusable Object's `value` (if any) replacing the component's. Nil if the reference does not
    /// resolve to a parameter.
    public func resolve(_ entry: OrReusable<Parameter>) -> Parameter? {
        switch entry {
        case .object(let p): return p
        case .reusable(let r):
            guard let (kind, key) = r.component, kind == .parameters, let p = components?.parameters[key] else {
                return nil
            }
            guard let value = r.value else { return p }
            return Parameter(
                name: p.name, in: p.in, value: value, extensions: p.extensions, location: p.location,
                locations: p.locations.merging(["value": value.location]) { $1 })
        }
    }

    /// The success action an entry stands for (inline, or the referenced component).
    public func resolve(_ entry: OrReusable<SuccessAction>) -> SuccessAction? {
        switch entry {
        case .object(let a): return a
        case .reusable(let r):
            guard let (kind, key) = r.component, kind == .successActions else { return nil }
            return components?.successActions[key]
        }
    }

    /// The failure action an entry stands for (inline, or the referenced component).
    public func resolve(_ entry: OrReusable<FailureAction>) -> FailureAction? {
        switch entry {
        case .object(let a): return a
        case .reusable(let r):
            guard let (kind, key) = r.component, kind == .failureActions else { return nil }
            return components?.failureActions[key]
        }
    }
}
