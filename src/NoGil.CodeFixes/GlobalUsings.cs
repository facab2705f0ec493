// The namespaces nearly every file of the code-fix assembly uses, imported once: the fixers render what every
// family of the analysis decided.
global using System;
global using System.Collections.Generic;
global using System.Collections.Immutable;
global using System.Composition;
global using System.Linq;
global using System.Threading;
global using System.Threading.Tasks;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.CodeActions;
global using Microsoft.CodeAnalysis.CodeFixes;
global using Microsoft.CodeAnalysis.CSharp;
global using Microsoft.CodeAnalysis.CSharp.Syntax;
global using Microsoft.CodeAnalysis.Formatting;
global using Microsoft.CodeAnalysis.Operations;
global using NoGil.Analyzers.Analysis.Blocking;
global using NoGil.Analyzers.Analysis.Common;
global using NoGil.Analyzers.Analysis.Kernels;
global using NoGil.Analyzers.Analysis.Locks;
global using NoGil.Analyzers.Analysis.Loops;
global using NoGil.Analyzers.Infrastructure;
global using NoGil.CodeFixes.Infrastructure;
global using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
