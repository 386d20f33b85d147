// Makes TorchSharp's native wrapper load on systems whose libstdc++ is older than the one it was
// linked against (Debian 12: libstdc++ stops at GLIBCXX_3.4.30, libLibTorchSharp.so asks for 3.4.32).
//
// An ELF shared object lists, in `.gnu.version_r`, the symbol versions it needs from each library.
// The dynamic loader refuses to load it when a needed version is missing, unless that entry carries
// VER_FLG_WEAK. The only symbol that libLibTorchSharp.so takes at GLIBCXX_3.4.32 is
// std::ios_base_library_init, and no relocation refers to it, so marking that one entry weak is safe.
// This file checks both facts before it changes a single byte.
//
// One source, compiled three times: by MSBuild's RoslynCodeTaskFactory (build/TorchSharpNatives.targets, which
// patches the copies under bin/), into the CLI (src/CnnParity.Cli/Native/TorchSharpNatives.cs: an installed tool
// patches a copy in the user cache at run time) and into the tests. The last two define ELF_VERSION_NEEDS_NO_TASK
// to leave out the MSBuild task class.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CnnParity.Build
{
    /// <summary>One entry of `.gnu.version_r`: a version that a library must provide.</summary>
    internal sealed class VersionNeed
    {
        public string Library = "";
        public string Version = "";
        public ushort Flags;
        public ushort Index;
        /// <summary>Byte offset of this entry's vna_flags field in the file.</summary>
        public long FlagsOffset;
        /// <summary>Dynamic symbols bound to this version.</summary>
        public List<string> Symbols = new List<string>();
        /// <summary>How many relocations refer to those symbols.</summary>
        public int Relocations;
        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
    }

    /// <summary>Reads and patches the version needs of an ELF64 little-endian shared object.</summary>
    internal static class ElfVersionNeeds
    {
        public const ushort VerFlagWeak = 0x2;
        const uint ShtRela = 4, ShtDynamic = 6, ShtDynsym = 11, ShtVerdef = 0x6ffffffd, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;

        sealed class Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; public long EntSize; }

        /// <summary>The version names a library defines (its `.gnu.version_d`), e.g. GLIBCXX_3.4.30.</summary>
        public static HashSet<string> DefinedVersions(byte[] elf)
        {
            var sections = ReadSections(elf);
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var verdef in sections.Where(s => s.Type == ShtVerdef))
            {
                var strtab = sections[(int)verdef.Link];
                long entry = verdef.Offset;
                for (uint i = 0; i < verdef.Info; i++)
                {
                    ushort auxCount = U16(elf, entry + 6);
                    uint auxOffset = U32(elf, entry + 12), next = U32(elf, entry + 16);
                    if (auxCount > 0)
                        result.Add(CString(elf, strtab.Offset + U32(elf, entry + auxOffset)));
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>The libraries a shared object names as DT_NEEDED, in order (e.g. libtorch_cpu.so, libstdc++.so.6).</summary>
        public static List<string> Needed(byte[] elf)
        {
            const long DtNull = 0, DtNeeded = 1;
            var sections = ReadSections(elf);
            var result = new List<string>();
            foreach (var dynamic in sections.Where(s => s.Type == ShtDynamic))
            {
                var strtab = sections[(int)dynamic.Link];
                for (long e = dynamic.Offset; e + 16 <= dynamic.Offset + dynamic.Size; e += 16)
                {
                    long tag = (long)U64(elf, e);
                    if (tag == DtNull) break;
                    if (tag == DtNeeded)
                        result.Add(CString(elf, strtab.Offset + (long)U64(elf, e + 8)));
                }
            }
            return result;
        }

        /// <summary>Every version need, with the symbols bound to it and the relocations against them.</summary>
        public static List<VersionNeed> Read(byte[] elf)
        {
            var sections = ReadSections(elf);
            var needs = new List<VersionNeed>();
            var verneed = sections.FirstOrDefault(s => s.Type == ShtVerneed);
            if (verneed == null) return needs;
            var strtab = sections[(int)verneed.Link];
            long entry = verneed.Offset;
            for (uint i = 0; i < verneed.Info; i++)
            {
                ushort count = U16(elf, entry + 2);
                string library = CString(elf, strtab.Offset + U32(elf, entry + 4));
                long aux = entry + U32(elf, entry + 8);
                for (int j = 0; j < count; j++)
                {
                    needs.Add(new VersionNeed
                    {
                        Library = library,
                        Flags = U16(elf, aux + 4),
                        Index = U16(elf, aux + 6),
                        Version = CString(elf, strtab.Offset + U32(elf, aux + 8)),
                        FlagsOffset = aux + 4,
                    });
                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(elf, entry + 12);
                if (next == 0) break;
                entry += next;
            }
            AttachSymbols(elf, sections, needs);
            return needs;
        }

        // Finds which dynamic symbols carry each version index, and how many relocations use them.
        static void AttachSymbols(byte[] elf, List<Section> sections, List<VersionNeed> needs)
        {
            var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
            var versym = sections.FirstOrDefault(s => s.Type == ShtVersym);
            if (dynsym == null || versym == null) return;
            var dynstr = sections[(int)dynsym.Link];
            long symbolCount = dynsym.Size / 24;
            var byIndex = needs.ToDictionary(n => n.Index);
            var symbolVersion = new ushort[symbolCount];
            for (long s = 0; s < symbolCount; s++)
            {
                symbolVersion[s] = (ushort)(U16(elf, versym.Offset + 2 * s) & 0x7fff);
                if (byIndex.TryGetValue(symbolVersion[s], out var need))
                    need.Symbols.Add(CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + 24 * s)));
            }
            foreach (var rela in sections.Where(s => s.Type == ShtRela && s.EntSize == 24))
                for (long r = 0; r < rela.Size / 24; r++)
                {
                    long symbol = (long)(U64(elf, rela.Offset + 24 * r + 8) >> 32);
                    if (symbol > 0 && symbol < symbolCount && byIndex.TryGetValue(symbolVersion[symbol], out var need))
                        need.Relocations++;
                }
        }

        /// <summary>
        /// Marks weak every need on <paramref name="library"/> whose version <paramref name="available"/> lacks.
        /// Returns what it changed (empty when nothing was missing). Throws when a missing version is
        /// actually used by a relocation: weakening it would only move the failure to run time.
        /// </summary>
        public static List<VersionNeed> WeakenMissing(byte[] elf, string library, ISet<string> available)
        {
            var changed = new List<VersionNeed>();
            foreach (var need in Read(elf).Where(n => n.Library == library && !available.Contains(n.Version) && !n.IsWeak))
            {
                if (need.Relocations > 0)
                    throw new InvalidOperationException(
                        $"{need.Version} is used by {need.Relocations} relocation(s) ({string.Join(", ", need.Symbols)}); marking it weak would not help");
                ushort flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)flags;
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                need.Flags = flags;
                changed.Add(need);
            }
            return changed;
        }

        /// <summary>The system's libstdc++.so.6, as the dynamic loader would find it, or null.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
            };
            return candidates.FirstOrDefault(File.Exists);
        }

        static List<Section> ReadSections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only 64-bit little-endian ELF is supported");
            long shoff = (long)U64(elf, 0x28);
            ushort shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
            var sections = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                sections.Add(new Section
                {
                    Type = U32(elf, h + 4), Offset = (long)U64(elf, h + 0x18), Size = (long)U64(elf, h + 0x20),
                    Link = U32(elf, h + 0x28), Info = U32(elf, h + 0x2c), EntSize = (long)U64(elf, h + 0x38),
                });
            }
            return sections;
        }

        static ushort U16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);
        static uint U32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

        static string CString(byte[] b, long o)
        {
            long end = o;
            while (b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !ELF_VERSION_NEEDS_NO_TASK
    /// <summary>
    /// MSBuild task: patches each given copy of libLibTorchSharp.so in place (via a temporary file and a
    /// rename), only when the system's libstdc++ lacks a version it needs. On other systems it does nothing.
    /// </summary>
    public sealed class WeakenMissingLibStdCxxVersions : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string[] Files { get; set; } = Array.Empty<string>();

        public override bool Execute()
        {
            string? system = ElfVersionNeeds.FindSystemLibStdCxx();
            if (system == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "CnnParity: no system libstdc++.so.6 found; TorchSharp natives left as shipped.");
                return true;
            }
            var available = ElfVersionNeeds.DefinedVersions(File.ReadAllBytes(system));
            foreach (string file in Files.Where(File.Exists))
            {
                byte[] elf = File.ReadAllBytes(file);
                List<VersionNeed> changed;
                try { changed = ElfVersionNeeds.WeakenMissing(elf, "libstdc++.so.6", available); }
                catch (Exception e) when (e is InvalidOperationException || e is InvalidDataException)
                {
                    Log.LogError($"CnnParity: cannot make {file} loadable with {system}: {e.Message}");
                    return false;
                }
                if (changed.Count == 0) continue;
                string temp = file + ".cnnparity-tmp";
                File.WriteAllBytes(temp, elf);
                File.Replace(temp, file, null); // a rename: a reader never sees a half-written library
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"CnnParity: {Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}: marked weak " +
                    string.Join(", ", changed.Select(n => $"{n.Version} (used only by {string.Join(", ", n.Symbols)}, {n.Relocations} relocations)")) +
                    $", which {system} lacks.");
            }
            return true;
        }
    }
#endif
}
