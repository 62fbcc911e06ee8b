using EvidenceChain.Core.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Text;

public sealed class UntrustedTextTests
{
    [Property]
    public bool Printable_AnyString_HoldsNoUnsafeCharacterOutsideASurrogatePair(string? value, PositiveInt extra)
    {
        var text = UntrustedText.Printable(value, 4 + (extra.Get % 200));
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (UntrustedText.IsUnsafe(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool Printable_AnyString_IsAtMostMaxLength(string? value, PositiveInt extra)
    {
        var maxLength = 4 + (extra.Get % 200);

        return UntrustedText.Printable(value, maxLength).Length <= maxLength;
    }

    [Property]
    public bool Printable_SafeShortString_IsUnchanged(NonNull<string> value) =>
        value.Get.Any(UntrustedText.IsUnsafe) || value.Get.Length > UntrustedText.DefaultMaxLength
        || UntrustedText.Printable(value.Get) == value.Get;

    [Property]
    public bool Printable_LongSafeString_KeepsItsStartAndEndsWithTheEllipsis(NonNull<string> value)
    {
        var safe = new string([.. value.Get.Where(c => !UntrustedText.IsUnsafe(c))]) + new string('x', 100);

        var text = UntrustedText.Printable(safe, 40);

        return text.Length == 40 && text.EndsWith(UntrustedText.Ellipsis, StringComparison.Ordinal) && safe.StartsWith(text[..^3], StringComparison.Ordinal);
    }

    [Property]
    public bool Printable_AnyString_ReplacesCharacterForCharacterWhenNotCut(NonNull<string> value)
    {
        var text = UntrustedText.Printable(value.Get, int.MaxValue);

        return text.Length == value.Get.Length;
    }

    [Theory]
    [InlineData("a\nb\tc\r\u001b[31m", "a?b?c??[31m")]
    [InlineData("invoice\u202Efdp.exe", "invoice?fdp.exe")]
    [InlineData("\u2066x\u2067y\u2068z\u2069", "?x?y?z?")]
    [InlineData("l\u200Er\u200Fa\u061C", "l?r?a?")]
    [InlineData("line\u2028para\u2029", "line?para?")]
    [InlineData("\u0085\u009b\u007f", "???")]
    [InlineData("pair \uD83D\uDE00 kept", "pair \uD83D\uDE00 kept")]
    [InlineData("Grüße, 日本語", "Grüße, 日本語")]
    public void Printable_UnsafeCharacters_AreReplaced(string value, string expected)
    {
        Assert.Equal(expected, UntrustedText.Printable(value));
    }

    [Fact]
    public void Printable_LoneSurrogates_AreReplaced()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate (it is stored as UTF-8).
        var value = "lone " + (char)0xD800 + " high, lone " + (char)0xDC00 + " low";

        Assert.Equal("lone ? high, lone ? low", UntrustedText.Printable(value));
    }

    [Fact]
    public void Printable_Null_IsEmpty()
    {
        Assert.Equal(string.Empty, UntrustedText.Printable(null));
    }

    [Fact]
    public void Printable_CutAtASurrogatePair_DropsTheWholePair()
    {
        var text = UntrustedText.Printable("abcd\uD83D\uDE00efghij", 8);

        Assert.Equal("abcd...", text);
    }

    [Fact]
    public void Printable_ExactlyMaxLength_IsNotCut()
    {
        Assert.Equal("abcdefgh", UntrustedText.Printable("abcdefgh", 8));
        Assert.Equal("abcde...", UntrustedText.Printable("abcdefghi", 8));
    }

    [Fact]
    public void Printable_MaxLengthBelowFour_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UntrustedText.Printable("x", 3));
    }
}
