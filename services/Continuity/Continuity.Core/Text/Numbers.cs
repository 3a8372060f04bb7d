using System.Globalization;

namespace Folio.Continuity.Core.Text;

/// <summary>Small numbers as prose writes them: "15", "fifteen", "one-and-twenty", "twenty-seven".</summary>
public static class Numbers
{
    private static readonly string[] Units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    public const string Pattern = @"\d{1,3}|(?:(?:one|two|three|four|five|six|seven|eight|nine)[- ]and[- ])?(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";

    public static int? Parse(string text)
    {
        var word = text.Trim().ToLowerInvariant();
        if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
        {
            return digits;
        }

        var unit = Array.IndexOf(Units, word);
        if (unit >= 0)
        {
            return unit;
        }

        var parts = word.Split(['-', ' '], StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            [var tens] when Array.IndexOf(Tens, tens) > 1 => Array.IndexOf(Tens, tens) * 10,
            [var tens, var one] when Array.IndexOf(Tens, tens) > 1 && Array.IndexOf(Units, one) is > 0 and < 10 => Array.IndexOf(Tens, tens) * 10 + Array.IndexOf(Units, one),
            [var one, "and", var tens] when Array.IndexOf(Tens, tens) > 1 && Array.IndexOf(Units, one) is > 0 and < 10 => Array.IndexOf(Tens, tens) * 10 + Array.IndexOf(Units, one),
            _ => null,
        };
    }
}
