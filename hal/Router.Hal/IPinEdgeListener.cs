namespace Router.Hal
{
    /// <summary>Told by an <see cref="IInputPin"/> that its line fell from high to low.</summary>
    public interface IPinEdgeListener
    {
        void OnFallingEdge();
    }
}
