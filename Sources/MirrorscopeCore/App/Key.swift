/// A key press, as the backend decodes it.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab
    /// Ctrl+letter, lower case.
    case ctrl(Character)
}
