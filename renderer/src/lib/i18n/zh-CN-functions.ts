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
  '{path} already exists.': '{path} 已存在。',

  // Functions view, panels and inspector (strings that were English only)
  'Chrome DevTools:': 'Chrome 开发者工具：',
  'Copy the DevTools URL': '复制 DevTools 地址',
  'VS Code launch.json': 'VS Code launch.json 配置',
  'Copy the VS Code configuration': '复制 VS Code 配置',
  'Environment line {number} is not KEY=VALUE: {line}': '环境变量第 {number} 行不是 KEY=VALUE 格式：{line}',
  'Edit {name}': '编辑 {name}',
  'Timeout (s)': '超时时间（秒）',
  'Memory (MB)': '内存（MB）',
  'Environment (KEY=VALUE per line)': '环境变量（每行一个 KEY=VALUE）',
  "Saving recycles the function's warm instances: the next invocation runs with the new settings.":
    '保存后会回收函数的热实例：下次调用将使用新配置。',
  'Explain trigger matching': '触发器匹配诊断',
  Explain: '诊断',
  'at {time} (request {requestId})': '于 {time}（请求 {requestId}）',
  'No recent event for this key. How the current triggers would treat:':
    '此对象键最近没有事件。当前触发器对以下事件的处理：',
  "Make the next attempts fail or time out to watch SCF's retries (+1 min, +2 min) and the dead letter on the emulated clock. Injected attempts are marked in the timeline. Kept in memory until COS Local restarts.":
    '让接下来的几次执行失败或超时，在模拟时钟上观察 SCF 的重试（+1 分钟、+2 分钟）和死信。注入的执行在时间线上有标记。仅保存在内存中，COS Local 重启后清除。',
  'Active: fail next {fail}, time out next {timeout}, +{latency} ms per attempt':
    '生效中：接下来 {fail} 次失败、{timeout} 次超时，每次执行 +{latency} 毫秒',
  'Redriven as {requestId}': '已重新投递为 {requestId}',
  'Invocation status': '调用状态',
  'dead letters': '死信',
  'No {status} invocations.': '没有“{status}”的调用。',
  'Not invoked yet.': '尚未调用。',
  'Object / source': '对象 / 来源',
  'test invoke': '测试调用',
  replay: '重放',
  redrive: '重新投递',
  'Memory used': '内存用量',
  Message: '返回信息',
  'Run log': '运行日志',
  'The event is not valid JSON: {reason}': '事件不是有效的 JSON：{reason}',
  'COS test template': 'COS 测试模板',
  'Load template': '载入模板',
  'Event JSON (editable; empty = the template as is)': '事件 JSON（可编辑；留空则使用模板原样）',
  'Invoking…': '调用中…',
  Invoke: '调用',
  'Add trigger': '添加触发器',
  Prefix: '前缀',
  Suffix: '后缀',
  Triggers: '触发器',
  'No triggers: this function runs only when invoked by hand.': '没有触发器：此函数只在手动调用时运行。',
  Enabled: '启用',
  'No such bucket yet: the trigger fires once the bucket exists': '存储桶尚不存在：存储桶创建后触发器即会生效',
  'Enabled: {trigger}': '启用：{trigger}',
  'Delete trigger {trigger}': '删除触发器 {trigger}',
  'Delete trigger {id} ({event} on {bucket}{filter})? Its function stops running for these objects.':
    '删除触发器 {id}（{bucket} 上的 {event}{filter}）？删除后，这些对象将不再触发函数。',
  ', prefix {prefix}': '，前缀 {prefix}',
  ', suffix {suffix}': '，后缀 {suffix}',
  Panels: '面板',
  'Loading the terminal…': '正在加载终端…',
  'Could not load the terminal: {reason}': '无法加载终端：{reason}',
  'No triggers existed when this event was dispatched.': '分发此事件时还没有任何触发器。',
  'not matched': '未匹配',
  trigger: '触发器',
  prefix: '前缀',
  suffix: '后缀',
  '(any)': '（任意）',
  disabled: '已停用',
  'x-cos-request-id / SCF RequestId': 'x-cos-request-id / SCF RequestId',
  'Nothing recorded for this request id (the history keeps the newest 100,000 events).':
    '没有此请求 ID 的记录（历史保留最新的 100,000 个事件）。',
  'Nothing recorded for this key (the history keeps the newest 100,000 events).':
    '没有此对象键的记录（历史保留最新的 100,000 个事件）。',
  'injected fault': '注入的故障',
  'Event {seq}': '事件 {seq}',
  'Copy the request id': '复制请求 ID',
  'Delivered event JSON': '投递的事件 JSON',
  'Copy the event JSON': '复制事件 JSON',
  Deliveries: '投递',
  'SCF RequestId': 'SCF RequestId',
  'redrive of {requestId}': '{requestId} 的重新投递',
  injected: '注入',
  '+latency': '+延迟',
  Returned: '返回',
  'Filter events': '筛选事件',
  'Event type': '事件类型',
  Function: '函数',
  'No log lines match the filter yet.': '还没有符合筛选条件的日志行。',
  'No function has run yet. Each invocation appears here as one block, START to Report.':
    '还没有函数运行过。每次调用在这里显示为一整块，从 START 到 Report。',
  'Log tools': '日志工具',
  Level: '级别',
  'Search the log': '搜索日志',
  'Previous match': '上一个匹配',
  'Next match': '下一个匹配',
  '{count} new': '{count} 条新日志',
  '{count} lines': '{count} 行',
  'Running invocations': '运行中的调用',
  "Follow this invocation's log live": '实时跟随此调用的日志',
  '+{count} more': '另有 {count} 个',

  // Attempt outcomes and invocation statuses (shown through t(value))
  error: '错误',
  timeout: '超时',
  crashed: '进程崩溃',
  'out-of-memory': '内存超限',
  'function-missing': '函数不存在',
  interrupted: '已中断',

  // Where a function's code came from
  'template {id}': '模板 {id}',
  'uploaded zip or folder': '上传的 ZIP 包或文件夹',
  'zip file on this machine': '本机上的 ZIP 文件',
  'inline files': '内联文件',
  'copied from a folder': '从文件夹复制'
}
