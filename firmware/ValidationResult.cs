namespace Router
{
    /// <summary>
    /// The outcome of checking user-supplied settings: valid, or the first problem found with the field it concerns
    /// (a path such as "forwards[2].externalPort") and a message a person can act on. User input never throws.
    /// </summary>
    public sealed class ValidationResult
    {
        public static readonly ValidationResult Valid = new ValidationResult(null, null);

        private readonly string _field;
        private readonly string _message;

        private ValidationResult(string field, string message)
        {
            _field = field;
            _message = message;
        }

        public static ValidationResult Error(string field, string message)
        {
            return new ValidationResult(field, message);
        }

        public bool IsValid { get { return _field == null; } }
        /// <summary>The offending field, or null when valid.</summary>
        public string Field { get { return _field; } }
        public string Message { get { return _message; } }

        public override string ToString()
        {
            return IsValid ? "valid" : _field + ": " + _message;
        }
    }
}
