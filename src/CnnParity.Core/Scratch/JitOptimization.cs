using System.Diagnostics;

// The faithful path runs ~20x slower without JIT optimisation (span indexers, Math.FusedMultiplyAdd and
// BitConverter become calls), which makes a Debug build's tests of whole training runs take minutes.
// Declaring DebuggableAttribute ourselves stops the compiler from emitting its Debug one, whose
// DisableOptimizations flag is what turns the JIT optimiser off; sequence points and symbols stay.
// (The same effect in the project file would be <Optimize>true</Optimize> for CnnParity.Core.)
[assembly: Debuggable(DebuggableAttribute.DebuggingModes.IgnoreSymbolStoreSequencePoints)]
