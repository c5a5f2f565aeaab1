/** Simplified Chinese for the Functions view: function list and detail, new-function dialog, code editor. */
export const zhCNFunctions: Record<string, string> = {
  // Shared copy button
  Copied: '已复制',
  // New function dialog
  'New function': '新建函数',
  'Function name': '函数名称',
  Template: '模板',
  Zip: 'ZIP 包',
  'Zip file': 'ZIP 文件',
  'Code folder': '代码文件夹',
  'Choose folder…': '选择文件夹…',
  'No folder chosen': '未选择文件夹',
  'COS Local watches this folder: saving a file there reloads the function.':
    'COS Local 会监听此文件夹：在其中保存文件即会热重载函数。',
  'The folder is uploaded as a copy; edit it afterwards in the code editor.':
    '上传的是文件夹的副本；之后可在代码编辑器中修改。',
  Handler: '执行方法',
  Runtime: '运行环境',
  'Detect from the files': '根据文件自动识别',
  'Creating…': '创建中…',
  'Choose a template.': '请选择模板。',
  'Choose a folder.': '请选择文件夹。',
  'Choose a zip file.': '请选择 ZIP 文件。',
  '{count} files, {size} · {runtime}': '{count} 个文件，{size} · {runtime}',
  '{name}, {size} · {runtime}': '{name}，{size} · {runtime}',
  'The folder is empty.': '文件夹是空的。',
  'The code has no {files} for the handler {handler} (top-level files: {found}).':
    '代码中没有执行方法 {handler} 所需的 {files}（顶层文件：{found}）。',
  'The handler must look like file.function, e.g. index.main_handler.':
    '执行方法的格式应为 文件名.函数名，例如 index.main_handler。',
  'The zip is {size}; the UI uploads zips up to {max} (use the CLI: cos-local function create NAME --zip FILE).':
    'ZIP 包大小为 {size}；界面最多上传 {max}（更大的请用命令行：cos-local function create NAME --zip FILE）。',
  'The folder holds {size}; the UI uploads folders up to {max} (use the CLI: cos-local function create NAME --dir DIR).':
    '文件夹共 {size}；界面最多上传 {max}（更大的请用命令行：cos-local function create NAME --dir DIR）。',
  'The folder holds {count} files; the UI uploads up to {max} (use the CLI).':
    '文件夹中有 {count} 个文件；界面最多上传 {max} 个（更多请用命令行）。',
  'Cannot read {name} as a zip: {reason}': '无法将 {name} 作为 ZIP 包读取：{reason}',

  // Function detail
  'Function {name}': '函数 {name}',
  Timeout: '超时时间',
  'Async retries': '异步重试次数',
  Environment: '环境变量',
  Description: '描述',
  'folder {path}, watched: saving a file there reloads the function':
    '文件夹 {path}（已监听：在其中保存文件即会热重载函数）',
  'Delete {name}, its code and its triggers?': '删除 {name} 及其代码和触发器？',

  // Function list and view
  'No functions yet.': '还没有函数。',
  'Warm instances (busy)': '热实例（忙碌）',
  '{count} warm': '{count} 个热实例',
  '{count} busy': '{count} 个忙碌',
  'Last invocation': '最近一次调用',
  'Errors in the newest {count} invocations': '最近 {count} 次调用中的错误',
  '{percent}% errors': '{percent}% 出错',
  'Fault injection is on': '已开启故障注入',
  fault: '故障注入',
  'Functions are not available: this COS Local core has no functions API (GET /api/functions answered 404).':
    '云函数不可用：此 COS Local 内核没有函数接口（GET /api/functions 返回 404）。',
  'Create a function from a template, a folder or a zip to test it and attach COS triggers.':
    '从模板、文件夹或 ZIP 包创建函数，即可测试并绑定 COS 触发器。',

  // Code editor: new file, rename, delete
  'New file': '新建文件',
  Rename: '重命名',
  'Rename {path}': '重命名 {path}',
  'Delete file': '删除文件',
  'File name (folders with /)': '文件名（用 / 表示文件夹）',
  'The function reloads: the next invocation runs the new code.': '函数会重新加载：下次调用运行新代码。',
  'Delete {path}? The function reloads without it.': '删除 {path}？函数将在没有它的情况下重新加载。',
  'Created {path}; the next invocation runs revision {revision}': '已创建 {path}；下次调用将运行版本 {revision}',
  'Renamed {from} to {to}; the next invocation runs revision {revision}':
    '已将 {from} 重命名为 {to}；下次调用将运行版本 {revision}',
  'Deleted {path}; the next invocation runs revision {revision}': '已删除 {path}；下次调用将运行版本 {revision}',
  'Enter a file name.': '请输入文件名。',
  'Use a path inside the function’s folder (no leading / or drive letter).':
    '请使用函数文件夹内的路径（不能以 / 或盘符开头）。',
  '“..” is not allowed in a file name.': '文件名中不能包含“..”。',
  'The name has an empty or “.” part (check the slashes).': '文件名中有空的或“.”的部分（请检查斜杠）。',
  'The name contains a control character.': '文件名中含有控制字符。',
  'Files under {folder} cannot be edited here.': '{folder} 下的文件不能在这里编辑。',
  '{path} already exists.': '{path} 已存在。'
}
