namespace Folio.Versioning.Core.Text;

/// <summary>
/// One region of a three-way merge in git's terms (xdmerge_t): <c>[I0, I0+Chg0)</c> of the base,
/// <c>[I1, I1+Chg1)</c> of ours and <c>[I2, I2+Chg2)</c> of theirs.
/// </summary>
internal sealed class MergeRecord(MergeMode mode, int i0, int chg0, int i1, int chg1, int i2, int chg2)
{
    public MergeMode Mode { get; set; } = mode;

    public int I0 { get; } = i0;

    public int Chg0 { get; set; } = chg0;

    public int I1 { get; } = i1;

    public int Chg1 { get; set; } = chg1;

    public int I2 { get; } = i2;

    public int Chg2 { get; set; } = chg2;
}

internal enum MergeMode
{
    Conflict,
    TakeOurs,
    TakeTheirs,
}
