/// The version `--version` and `cognitosync._VERSION` report.
public enum CogsyncVersion {
    public static let string = "0.1.0"
}
