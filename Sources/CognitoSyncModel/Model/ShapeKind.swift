/// The type of a shape, with its constraints and the shapes it contains.
public indirect enum ShapeKind: Sendable {
    /// A UTF-8 string.
    case string(StringConstraints)
    /// A 32-bit signed integer.
    case integer(min: Int64?, max: Int64?)
    /// A 64-bit signed integer.
    case long(min: Int64?, max: Int64?)
    /// A boolean.
    case boolean
    /// A point in time, carried as epoch seconds.
    case timestamp
    /// An ordered list of `member` values; `min`/`max` bound the element count.
    case list(member: Shape, min: Int?, max: Int?)
    /// A string-keyed map; `min`/`max` bound the entry count.
    case map(key: Shape, value: Shape, min: Int?, max: Int?)
    /// A structure with named members, in model order.
    case structure(members: [Member], required: Set<String>)
}
