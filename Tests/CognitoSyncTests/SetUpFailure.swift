/// Something `scripts/setup` installs is missing or broken: the test fails rather than skips, since a skip would
/// turn a broken check green.
struct SetUpFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description + " (scripts/setup installs it)"
    }
}
