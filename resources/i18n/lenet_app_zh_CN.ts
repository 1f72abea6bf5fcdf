<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccuracyChart</name>
    <message>
        <source>Accuracy per epoch</source>
        <translation>每轮准确率</translation>
    </message>
    <message>
        <source>Accuracy chart</source>
        <translation>准确率图表</translation>
    </message>
    <message>
        <source>How many digits the network classifies correctly after each epoch.
Train: on the images it learns from. Test: on 10,000 images it never saw.
A test curve far below the train curve means the network memorises (overfits).</source>
        <translation>网络在每轮训练后能正确分类多少个数字。
训练：在它学习所用的图像上。测试：在它从未见过的 10,000 张图像上。
如果测试曲线远低于训练曲线，说明网络在死记硬背（过拟合）。</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <source>%1 accuracy after epoch %2: %3%</source>
        <translation>第 %2 轮后的%1准确率：%3%</translation>
    </message>
</context>
<context>
    <name>AgreementView</name>
    <message>
        <source>Which model got the images right</source>
        <extracomment>The table's cells: (row: A right?, column: B right?) → outcome.</extracomment>
        <translation>哪个模型识别正确</translation>
    </message>
    <message>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <source>Test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>%1 right</source>
        <translation>%1 正确</translation>
    </message>
    <message>
        <source>%1 wrong</source>
        <translation>%1 错误</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; vs &lt;b&gt;%2&lt;/b&gt;: %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 对比 &lt;b&gt;%2&lt;/b&gt;：%3</translation>
    </message>
    <message>
        <source>%1: %2 images</source>
        <translation>%1：%2 张图像</translation>
    </message>
    <message>
        <source>%1: show these %2 images (click again to show all)</source>
        <translation>%1：显示这 %2 张图像（再次点击显示全部）</translation>
    </message>
    <message>
        <source>Same digit on &lt;b&gt;%1&lt;/b&gt; of the images · accuracy: %2 &lt;b&gt;%3&lt;/b&gt;, %4 &lt;b&gt;%5&lt;/b&gt;</source>
        <translation>一致率（识别为同一数字）：&lt;b&gt;%1&lt;/b&gt; · 准确率：%2 &lt;b&gt;%3&lt;/b&gt;，%4 &lt;b&gt;%5&lt;/b&gt;</translation>
    </message>
    <message>
        <source>the predictions could not be computed (see above the images).</source>
        <translation>无法计算预测结果（见图像上方的消息）。</translation>
    </message>
    <message>
        <source>no images to compare on.</source>
        <translation>没有可用于对比的图像。</translation>
    </message>
    <message>
        <source>loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>both models are reading the images…</source>
        <translation>两个模型正在识别图像…</translation>
    </message>
</context>
<context>
    <name>Architectures</name>
    <message>
        <source>LeNet-5 for 28×28 digits: C1 padded by 2, max-pool, ReLU; fast on CPU</source>
        <translation>适用于 28×28 数字的 LeNet-5：C1 填充 2，最大池化，ReLU；在 CPU 上训练快</translation>
    </message>
    <message>
        <source>seed tutorial 000: LeNet-5 on MNIST, C1 pad 2, C5 as a 5×5 conv</source>
        <translation>种子教程 000：在 MNIST 上训练 LeNet-5，C1 填充 2，C5 为 5×5 卷积</translation>
    </message>
    <message>
        <source>The original LeNet-5: 32×32 input, trainable subsampling, partial C3, scaled tanh</source>
        <translation>原始 LeNet-5：32×32 输入，可训练的下采样层，部分连接的 C3，缩放 tanh</translation>
    </message>
    <message>
        <source>LeCun et al. 1998 (seed tutorial 001): C3 connection table, paper parameter counts</source>
        <translation>LeCun 等 1998 年论文（种子教程 001）：C3 连接表，与论文一致的参数数量</translation>
    </message>
    <message>
        <source>Unpadded 28×28 LeNet: two 5×5 convs, avg- then max-pool, dense 256→120→84→10</source>
        <translation>无填充的 28×28 LeNet：两个 5×5 卷积层，先平均池化后最大池化，全连接层 256→120→84→10</translation>
    </message>
    <message>
        <source>seed tutorial 002: 28×28 LeNet, CrossEntropy, SGD</source>
        <translation>种子教程 002：28×28 LeNet，交叉熵，SGD</translation>
    </message>
    <message>
        <source>One 32-map conv with BatchNorm and max-pool, tanh head 6272→70→30→10</source>
        <translation>一个 32 张特征图的卷积层，带 BatchNorm 和最大池化，tanh 全连接头 6272→70→30→10</translation>
    </message>
    <message>
        <source>seed tutorial 003: CNN with BatchNorm, Adam lr 0.001</source>
        <translation>种子教程 003：带 BatchNorm 的 CNN，Adam，学习率 0.001</translation>
    </message>
    <message>
        <source>Keras-style CNN: 32-map conv, max-pool, dropout 0.2, dense 128</source>
        <translation>Keras 风格的 CNN：32 张特征图的卷积层，最大池化，dropout 0.2，全连接层 128</translation>
    </message>
    <message>
        <source>seed tutorial 004: Keras Conv2D/MaxPooling2D/Dropout/Dense, Adam</source>
        <translation>种子教程 004：Keras Conv2D/MaxPooling2D/Dropout/Dense，Adam</translation>
    </message>
</context>
<context>
    <name>ArithmeticView</name>
    <message>
        <source>How the chosen pixel is computed</source>
        <translation>所选像素是如何计算的</translation>
    </message>
    <message>
        <source>%1 map</source>
        <translation>%1 特征图</translation>
    </message>
    <message>
        <source>patch</source>
        <translation>局部区域</translation>
    </message>
    <message>
        <source>kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Σ products</source>
        <translation>Σ 乘积</translation>
    </message>
    <message>
        <source>map %1</source>
        <translation>特征图 %1</translation>
    </message>
</context>
<context>
    <name>AttributionLegend</name>
    <message>
        <source>away</source>
        <translation>推离</translation>
    </message>
    <message>
        <source>toward</source>
        <translation>推向</translation>
    </message>
    <message>
        <source>away from %1</source>
        <translation>推离 %1</translation>
    </message>
    <message>
        <source>toward %1</source>
        <translation>推向 %1</translation>
    </message>
    <message>
        <source>Colour key: blue pushed away, red pushed toward</source>
        <extracomment>Opacity of the strongest attribution over the digit (0–255); weaker ones fade out toward zero, so pixels with little effect keep showing the grayscale input beneath. Below 1, weak attributions stay visible instead of vanishing next to the strongest pixel. The colour scale ends at this percentile of the non-zero magnitudes; the strongest pixels beyond it saturate, so one extreme pixel cannot wash out all the others.</extracomment>
        <translation>颜色说明：蓝色表示推离，红色表示推向</translation>
    </message>
</context>
<context>
    <name>CanvasPanel</name>
    <message>
        <source>Draw a digit 0–9 with the mouse, pen or finger. The network reads it as you draw. You can also open, drop or paste a picture of a digit.</source>
        <translation>用鼠标、手写笔或手指画一个 0–9 的数字，网络会边画边识别。也可以打开、拖入或粘贴一张数字图片。</translation>
    </message>
    <message>
        <source>Canvas status</source>
        <translation>画布状态</translation>
    </message>
    <message>
        <source>&amp;Undo stroke</source>
        <translation>撤销笔画(&amp;U)</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>撤销笔画</translation>
    </message>
    <message>
        <source>Remove the last stroke (%1)</source>
        <translation>删除最后一笔（%1）</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>清空(&amp;C)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the canvas and start again (%1)</source>
        <translation>清空画布，重新开始（%1）</translation>
    </message>
    <message>
        <source>&amp;Open image…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Open a picture of a digit from a file (%1)</source>
        <translation>从文件打开一张数字图片（%1）</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Read a picture or an image file from the clipboard (%1)</source>
        <translation>从剪贴板读取图片或图像文件（%1）</translation>
    </message>
    <message>
        <source>Pen &amp;width</source>
        <translation>笔宽(&amp;W)</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>Width of new strokes, as a share of the canvas side, so drawings keep their look when the window is resized. The default (8%) gives MNIST-like strokes.</source>
        <translation>新笔画的宽度，按画布边长的比例计算，因此调整窗口大小时画好的内容保持原样。默认值（8%）画出的笔画与 MNIST 相近。</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Open a picture of a digit</source>
        <translation>打开数字图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm *.pbm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm *.pbm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <source>the dropped picture</source>
        <translation>拖入的图片</translation>
    </message>
    <message>
        <source>the pasted picture</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>Cannot read the picture</source>
        <translation>无法读取图片</translation>
    </message>
    <message>
        <source>Picture on the web</source>
        <translation>网络上的图片</translation>
    </message>
    <message>
        <source>Only pictures on this computer can be read. Save the picture to a file first, then open it or drop the file here.</source>
        <translation>只能读取本机上的图片。请先把图片保存为文件，再打开它或把文件拖到这里。</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>没有图片</translation>
    </message>
    <message>
        <source>There is no picture here to read. Copy an image or an image file, then paste it (or drop it on the canvas).</source>
        <translation>这里没有可读取的图片。请先复制一张图像或一个图像文件，再粘贴（或拖到画布上）。</translation>
    </message>
    <message>
        <source>No digit found</source>
        <translation>未找到数字</translation>
    </message>
    <message>
        <source>No digit found in %1: the picture looks blank or too faint.</source>
        <translation>在 %1 中未找到数字：图片似乎是空白的，或者太淡。</translation>
    </message>
    <message>
        <source>No digit found: the picture looks blank or too faint.</source>
        <translation>未找到数字：图片似乎是空白的，或者太淡。</translation>
    </message>
    <message>
        <source>Showing %1.</source>
        <translation>正在显示 %1。</translation>
    </message>
    <message>
        <source>Showing the picture.</source>
        <translation>正在显示图片。</translation>
    </message>
    <message>
        <source>Draw on it to add strokes, or clear the canvas (Esc) to start again.</source>
        <translation>可以在上面继续添加笔画，或清空画布（Esc）重新开始。</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
</context>
<context>
    <name>ChartExportButton</name>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Save this chart as a picture (PNG, SVG) or its curves as a table (CSV); right-clicking the chart offers the same</source>
        <translation>将此图表保存为图片（PNG、SVG），或将其曲线保存为表格（CSV）；在图表上单击右键也可以</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>ChartExporter</name>
    <message>
        <source>Save chart as PNG/SVG…</source>
        <extracomment>A line for the run log (where a file was saved), as a function that gives it in the language of the moment.</extracomment>
        <translation>将图表保存为 PNG/SVG…</translation>
    </message>
    <message>
        <source>Save the chart as a picture: PNG, or SVG to scale it without blur in slides and papers</source>
        <translation>将图表保存为图片：PNG，或 SVG（在幻灯片和论文中缩放也不会模糊）</translation>
    </message>
    <message>
        <source>Save curves as CSV…</source>
        <translation>将曲线保存为 CSV…</translation>
    </message>
    <message>
        <source>Save the points of every curve as a table for a spreadsheet: two columns per curve</source>
        <translation>将每条曲线的数据点保存为表格，供电子表格使用：每条曲线两列</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图片 (*.svg)</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Save curves</source>
        <translation>保存曲线</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot save chart</source>
        <translation>无法保存图表</translation>
    </message>
    <message>
        <source>Saved the chart to %1</source>
        <translation>已将图表保存到 %1</translation>
    </message>
    <message>
        <source>Cannot save curves</source>
        <translation>无法保存曲线</translation>
    </message>
    <message>
        <source>Saved the curves to %1</source>
        <translation>已将曲线保存到 %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Loss chart log scale</source>
        <translation>损失图表对数坐标</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis, so that small late improvements stay visible next to the large loss of the first batches</source>
        <translation>用对数坐标轴显示损失，这样即使最初几个批次的损失很大，后期的微小改进也依然清晰可见</translation>
    </message>
</context>
<context>
    <name>ClassAccuracyView</name>
    <message>
        <source>Accuracy per digit on the test set</source>
        <translation>测试集上各数字的准确率</translation>
    </message>
    <message>
        <source>How often the model reads each digit correctly, and how many test images there are of it</source>
        <translation>模型正确识别每个数字的比例，以及每个数字有多少张测试图像</translation>
    </message>
    <message>
        <source>Accuracy per digit</source>
        <translation>各数字准确率</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>共 %1 张</translation>
    </message>
    <message>
        <source>bars from %1 to %2</source>
        <translation>条形范围：%1 至 %2</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <source>negative · 0 · positive</source>
        <translation>负 · 0 · 正</translation>
    </message>
    <message>
        <source>0 … large</source>
        <translation>0 … 大</translation>
    </message>
    <message>
        <source>Blue, white, red: numbers that can be negative (before ReLU, after tanh) and kernel weights, blue below zero and red above. Black to yellow: numbers that are never negative (after ReLU). Each layer has its own range: its bar shows the numbers at both ends.</source>
        <translation>蓝、白、红：可能为负的数值（ReLU 之前、tanh 之后）和卷积核权重，小于零为蓝色，大于零为红色。黑到黄：不会为负的数值（ReLU 之后）。每一层有各自的数值范围：色条两端标出了对应的数值。</translation>
    </message>
    <message>
        <source>Colour legend</source>
        <translation>颜色图例</translation>
    </message>
</context>
<context>
    <name>CompareBar</name>
    <message>
        <source>Compare w&amp;ith:</source>
        <translation>对比模型(&amp;I)：</translation>
    </message>
    <message>
        <source>Model to compare with</source>
        <translation>用于对比的模型</translation>
    </message>
    <message>
        <source>A second model to read the same images: a shipped model or one your training runs made. The active model is the first one</source>
        <translation>识别同一批图像的第二个模型：内置模型或你以往的训练得到的模型。当前使用的模型是第一个</translation>
    </message>
    <message>
        <source>Sho&amp;w:</source>
        <translation>显示(&amp;W)：</translation>
    </message>
    <message>
        <source>Which model got the images right</source>
        <translation>哪个模型识别正确</translation>
    </message>
    <message>
        <source>Progress of the model compared</source>
        <translation>对比模型的进度</translation>
    </message>
    <message>
        <source>Show only the images one model reads right and the other wrong, both wrong or both right</source>
        <translation>只显示一个模型识别正确而另一个识别错误、两者都错误或两者都正确的图像</translation>
    </message>
    <message>
        <source>Needs both models' predictions, which could not be computed</source>
        <translation>需要两个模型的预测结果，但无法计算</translation>
    </message>
    <message>
        <source>Needs both models' predictions for this split; they are being computed</source>
        <translation>需要两个模型对该数据划分的预测结果；正在计算中</translation>
    </message>
    <message>
        <source>No comparison</source>
        <translation>不对比</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>The model compared is reading every image; the outcome filter and the agreement table follow when it is done</source>
        <translation>对比模型正在识别每张图像；完成后即可使用结果筛选和一致性表格</translation>
    </message>
    <message>
        <source>Could not compare with %1 (the comparison is off, the active model is unchanged): %2</source>
        <translation>无法与 %1 对比（对比已关闭，当前模型不变）：%2</translation>
    </message>
    <message>
        <source>Could not evaluate %1: %2</source>
        <translation>无法评估 %1：%2</translation>
    </message>
</context>
<context>
    <name>CompareCard</name>
    <message>
        <source>The model the rest of the tab uses (chosen under Model)</source>
        <translation>本页其余部分使用的模型（在“模型”中选择）</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>cannot be used</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <source>not evaluated</source>
        <translation>未评估</translation>
    </message>
    <message>
        <source>%1 test accuracy</source>
        <translation>测试准确率 %1</translation>
    </message>
    <message>
        <source>nothing to read</source>
        <translation>没有可识别的内容</translation>
    </message>
    <message>
        <source>%1 sure</source>
        <translation>置信度 %1</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>reads %1, %2 sure</source>
        <translation>读作 %1，置信度 %2</translation>
    </message>
    <message>
        <source>%1; differs from most models</source>
        <translation>%1；与多数模型不一致</translation>
    </message>
    <message>
        <source>Digit read by %1</source>
        <translation>%1 读出的数字</translation>
    </message>
    <message>
        <source>Model %1</source>
        <translation>模型 %1</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>What the shipped models read</source>
        <translation>各内置模型的识别结果</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>%1 reads %2</source>
        <translation>%1 读作 %2</translation>
    </message>
    <message>
        <source>The shipped models cannot be loaded: %1</source>
        <translation>无法加载内置模型：%1</translation>
    </message>
    <message>
        <source>Loading the shipped models…</source>
        <translation>正在加载内置模型…</translation>
    </message>
    <message>
        <source>Draw a digit: every shipped model reads it here, side by side.</source>
        <translation>画一个数字：每个内置模型都会在这里并排识别它。</translation>
    </message>
    <message>
        <source>No majority: %1.</source>
        <translation>没有多数结果：%1。</translation>
    </message>
    <message>
        <source>All %1 models read %2.</source>
        <translation>全部 %1 个模型都读作 %2。</translation>
    </message>
    <message>
        <source>%1 of %2 models read %3; %4.</source>
        <translation>%2 个模型中有 %1 个读作 %3；%4。</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>Rows: true digit, columns: what the model predicted. Click a cell to see those images.</source>
        <translation>行：真实数字；列：模型预测的数字。点击单元格可查看对应的图像。</translation>
    </message>
    <message>
        <source>%1 read as %2: %3</source>
        <translation>%1 被识别为 %2：%3 张</translation>
    </message>
    <message>
        <source>Most frequent mistakes: %1</source>
        <translation>最常见的错误：%1</translation>
    </message>
    <message>
        <source>Predicted digit</source>
        <translation>预测数字</translation>
    </message>
    <message>
        <source>True digit</source>
        <translation>真实数字</translation>
    </message>
    <message>
        <source>%1 test images of a %2 read correctly. Click to show them.</source>
        <translation>%1 张数字 %2 的测试图像被正确识别。点击可显示这些图像。</translation>
    </message>
    <message>
        <source>%1 test images of a %2 read as %3. Click to show them.</source>
        <translation>%1 张数字 %2 的测试图像被识别为 %3。点击可显示这些图像。</translation>
    </message>
</context>
<context>
    <name>DatasetTab</name>
    <message>
        <source>Get MNIST…</source>
        <translation>获取 MNIST…</translation>
    </message>
    <message>
        <source>Get MNIST</source>
        <translation>获取 MNIST</translation>
    </message>
    <message>
        <source>Download MNIST or choose its folder</source>
        <translation>下载 MNIST 或选择其所在文件夹</translation>
    </message>
    <message>
        <source>MNIST is not loaded: only your own digits can be browsed.</source>
        <translation>未加载 MNIST：只能浏览你自己的数字。</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>True label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Try in Draw tab</source>
        <translation>在绘制页试用</translation>
    </message>
    <message>
        <source>Try this image in the Draw tab</source>
        <translation>在绘制页中试用这张图像</translation>
    </message>
    <message>
        <source>Open this image on the drawing pad, to edit it and watch the prediction change</source>
        <translation>在画板上打开这张图像，修改它并观察预测如何变化</translation>
    </message>
    <message>
        <source>28 × 28</source>
        <extracomment>The prediction panel's parts, named apart from the Draw tab's ("detailImage" as always).</extracomment>
        <translation>28 × 28</translation>
    </message>
    <message>
        <source>Label of this digit</source>
        <translation>这个数字的标签</translation>
    </message>
    <message>
        <source>Give this digit of yours another label</source>
        <translation>给你的这个数字换一个标签</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this digit</source>
        <translation>删除这个数字</translation>
    </message>
    <message>
        <source>Remove this digit from your digits (Undo brings it back)</source>
        <translation>从“我的数字”中移除这个数字（撤销可恢复）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo the last change to your digits</source>
        <translation>撤销对“我的数字”的上一次更改</translation>
    </message>
    <message>
        <source>Take back the last save, relabel or delete of your digits</source>
        <translation>撤回“我的数字”中上一次的保存、改标签或删除操作</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>标签(&amp;L)：</translation>
    </message>
    <message>
        <source>Prediction of the model compared</source>
        <translation>对比模型的预测</translation>
    </message>
    <message>
        <source>No image selected</source>
        <translation>未选择图像</translation>
    </message>
    <message>
        <source>Click an image in the grid to see it here.</source>
        <translation>点击网格中的图像，即可在此查看。</translation>
    </message>
    <message>
        <source>My digit #%1 (%2, %3)</source>
        <translation>我的数字 #%1（%2，%3）</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>%1 image #%2</source>
        <translation>%1图像 #%2</translation>
    </message>
    <message>
        <source>True label: %1</source>
        <translation>真实标签：%1</translation>
    </message>
    <message>
        <source>No prediction: the model could not be evaluated</source>
        <translation>无预测：无法用该模型进行评估</translation>
    </message>
    <message>
        <source>Prediction: being computed…</source>
        <translation>预测：计算中…</translation>
    </message>
    <message>
        <source>Predicted: &lt;span style='color:%1'&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/span&gt; (%3)</source>
        <translation>预测：&lt;span style='color:%1'&gt;&lt;b&gt;%2&lt;/b&gt;&lt;/span&gt;（%3）</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>%1: no prediction</source>
        <translation>%1：无预测</translation>
    </message>
    <message>
        <source>%1: being computed…</source>
        <translation>%1：计算中…</translation>
    </message>
    <message>
        <source>%1 read &lt;span style='color:%2'&gt;&lt;b&gt;%3&lt;/b&gt;&lt;/span&gt; (%4 sure, %5)</source>
        <translation>%1 识别为 &lt;span style='color:%2'&gt;&lt;b&gt;%3&lt;/b&gt;&lt;/span&gt;（置信度 %4，%5）</translation>
    </message>
    <message>
        <source>drawn</source>
        <translation>手绘</translation>
    </message>
    <message>
        <source>from a file</source>
        <translation>来自文件</translation>
    </message>
    <message>
        <source>pasted</source>
        <translation>粘贴</translation>
    </message>
</context>
<context>
    <name>DeviceCombo</name>
    <message>
        <source>Auto (the fastest available)</source>
        <translation>自动（最快的可用设备）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Auto (%1)</source>
        <translation>自动（%1）</translation>
    </message>
</context>
<context>
    <name>DrawTab</name>
    <message>
        <source>Your drawing cropped, scaled to fit 20×20 pixels and centred by its mass in a 28×28 field, exactly as the MNIST training digits were made. Each square here is one input pixel.</source>
        <extracomment>Live predictions while drawing are coalesced to at most one per this many ms (~60/s).</extracomment>
        <translation>你画的数字经过裁剪、缩放到 20×20 像素以内，再按质心居中放进 28×28 的区域，与 MNIST 训练数字的制作方式完全相同。这里的每个方格就是一个输入像素。</translation>
    </message>
    <message>
        <source>Model used</source>
        <translation>所用模型</translation>
    </message>
    <message>
        <source>Compare &amp;all models</source>
        <translation>比较所有模型(&amp;A)</translation>
    </message>
    <message>
        <source>Compare all models</source>
        <translation>比较所有模型</translation>
    </message>
    <message>
        <source>Show how every shipped model reads your drawing, side by side, in place of the feature maps</source>
        <translation>在特征图的位置并排显示每个内置模型如何识别你画的数字</translation>
    </message>
    <message>
        <source>Draw a digit</source>
        <translation>画一个数字</translation>
    </message>
    <message>
        <source>This model cannot read the drawing: %1</source>
        <translation>该模型无法识别这幅画：%1</translation>
    </message>
    <message>
        <source>Too small to read. Keep drawing…</source>
        <translation>太小，无法识别。请继续画…</translation>
    </message>
    <message>
        <source>Model: %1 (not evaluated on the test set)</source>
        <translation>模型：%1（未在测试集上评估）</translation>
    </message>
    <message>
        <source>Model: %1, %2 test accuracy</source>
        <translation>模型：%1，测试准确率 %2</translation>
    </message>
    <message>
        <source>Trained in this session</source>
        <translation>本次会话中训练</translation>
    </message>
</context>
<context>
    <name>DrawingCanvas</name>
    <message>
        <source>Drawing canvas</source>
        <extracomment>Default pen width as a fraction of the canvas side. Pressure a mouse or finger is taken to press with; a pen varies around it. The contents changed (also during a stroke, once per new segment). A stroke ended: the drawing is complete for now. Something was dropped on the canvas; the QMimeData is valid only during the call.</extracomment>
        <translation>绘图画布</translation>
    </message>
    <message>
        <source>Draw one digit with the mouse, a pen or a finger; drop a picture to read it instead</source>
        <translation>用鼠标、手写笔或手指画一个数字；也可以拖入一张图片来识别</translation>
    </message>
    <message>
        <source>Draw a digit here. You can also drop or paste a picture of one.</source>
        <translation>在这里画一个数字。也可以拖入或粘贴一张数字图片。</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里画一个数字</translation>
    </message>
    <message>
        <source>Drop the picture to read it</source>
        <translation>松开即可读取这张图片</translation>
    </message>
</context>
<context>
    <name>ExportImagesDialog</name>
    <message>
        <source>Export MNIST images</source>
        <translation>导出 MNIST 图像</translation>
    </message>
    <message>
        <source>Writes every image as a picture named &lt;i&gt;split_index_label&lt;/i&gt; (for example &lt;tt&gt;test_0_7.png&lt;/tt&gt;). Pictures already in the folder are kept, so a stopped export continues where it left off.</source>
        <translation>将每张图像写成一个名为 &lt;i&gt;split_index_label&lt;/i&gt;（数据划分_序号_标签）的图片文件（例如 &lt;tt&gt;test_0_7.png&lt;/tt&gt;）。文件夹中已有的图片会保留，因此中断的导出可以从停下的地方继续。</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>The pictures are written into this folder; it is created when missing</source>
        <translation>图片将写入此文件夹；文件夹不存在时会自动创建</translation>
    </message>
    <message>
        <source>Folder for the pictures</source>
        <translation>存放图片的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Browse for the folder</source>
        <translation>浏览选择文件夹</translation>
    </message>
    <message>
        <source>Choose the export folder</source>
        <translation>选择导出文件夹</translation>
    </message>
    <message>
        <source>Training set (%1 images)</source>
        <translation>训练集（%1 张图像）</translation>
    </message>
    <message>
        <source>Test set (%1 images)</source>
        <translation>测试集（%1 张图像）</translation>
    </message>
    <message>
        <source>Export this split</source>
        <translation>导出该数据划分</translation>
    </message>
    <message>
        <source>Picture format</source>
        <translation>图片格式</translation>
    </message>
    <message>
        <source>PNG keeps every pixel exactly; JPEG files are smaller</source>
        <translation>PNG 精确保留每个像素；JPEG 文件更小</translation>
    </message>
    <message>
        <source>PNG (lossless)</source>
        <translation>PNG（无损）</translation>
    </message>
    <message>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Splits:</source>
        <translation>数据划分：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Write the pictures (needs a folder and a split)</source>
        <translation>写出图片（需要选择文件夹和数据划分）</translation>
    </message>
    <message>
        <source>Export images to</source>
        <translation>将图像导出到</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Split</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>Which images to browse: MNIST's 10,000 test images the model never trained on, its 60,000 training images, or the digits you saved in the Draw tab</source>
        <translation>要浏览哪些图像：MNIST 中模型从未训练过的 10,000 张测试图像、60,000 张训练图像，或你在绘制页中保存的数字</translation>
    </message>
    <message>
        <source>True label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <source>Show only images of this digit (the label in MNIST)</source>
        <translation>只显示这个数字的图像（即 MNIST 中的标签）</translation>
    </message>
    <message>
        <source>Predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <source>Show only images the model reads as this digit</source>
        <translation>只显示模型识别为这个数字的图像</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Misclassified only</source>
        <translation>仅误分类</translation>
    </message>
    <message>
        <source>Show only the images the model gets wrong</source>
        <translation>只显示模型识别错误的图像</translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Order of the images: by their index in MNIST, the ones the model is least sure about first, or the mistakes it is most sure about first</source>
        <translation>图像的排列顺序：按 MNIST 中的序号、模型最没把握的排在前面，或模型最有把握的错误排在前面</translation>
    </message>
    <message>
        <source>By index</source>
        <translation>按序号</translation>
    </message>
    <message>
        <source>Least confident first</source>
        <translation>置信度最低优先</translation>
    </message>
    <message>
        <source>Most confident mistakes first</source>
        <translation>高置信度错误优先</translation>
    </message>
    <message>
        <source>Thumbnail size</source>
        <translation>缩略图大小</translation>
    </message>
    <message>
        <source>How large the images are drawn; larger reads better on a projector</source>
        <translation>图像显示的大小；用投影仪时大一些更清楚</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Show all images of the split</source>
        <translation>显示该数据划分中的所有图像</translation>
    </message>
    <message>
        <source>Reset the label, prediction and mistake filters</source>
        <translation>重置标签、预测和错误筛选条件</translation>
    </message>
    <message>
        <source>Number of images shown</source>
        <translation>显示的图像数</translation>
    </message>
    <message>
        <source>Images that match the filters, of all images in the split</source>
        <translation>符合筛选条件的图像数 / 该数据划分的图像总数</translation>
    </message>
    <message>
        <source>&amp;Split:</source>
        <extracomment>Splits with a confusion matrix of their own; the training set shows the test set's.</extracomment>
        <translation>数据划分(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;True label:</source>
        <translation>真实标签(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Predicted:</source>
        <translation>预测(&amp;P)：</translation>
    </message>
    <message>
        <source>S&amp;ort:</source>
        <translation>排序(&amp;O)：</translation>
    </message>
    <message>
        <source>Si&amp;ze:</source>
        <translation>大小(&amp;Z)：</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Needs the model's predictions, which could not be computed</source>
        <translation>需要模型的预测结果，但无法计算</translation>
    </message>
    <message>
        <source>Needs the model's predictions for this split; they are being computed</source>
        <translation>需要模型对该数据划分的预测结果；正在计算中</translation>
    </message>
    <message>
        <source>Test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Training set</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
</context>
<context>
    <name>FinetuneTable</name>
    <message>
        <source>Fine-tuning before and after</source>
        <translation>微调前后对比</translation>
    </message>
    <message>
        <source>Accuracy of the model before and after fine-tuning: on MNIST's test images (it should stay within 0.2 points) and on the digits of yours held out from training (it should rise)</source>
        <translation>模型在微调前后的准确率：在 MNIST 测试图像上（变化应在 0.2 个百分点以内），以及在训练时留出的我的数字上（应当上升）</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>微调前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>微调后</translation>
    </message>
    <message>
        <source>Change (points)</source>
        <translation>变化（百分点）</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>MNIST test</source>
        <translation>MNIST 测试集</translation>
    </message>
    <message>
        <source>My digits, held out</source>
        <translation>我的数字（留出）</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>%1: %2 before, %3 after</source>
        <translation>%1：微调前 %2，微调后 %3</translation>
    </message>
</context>
<context>
    <name>ImageBrowser</name>
    <message>
        <source>Grey corner: the true label. &lt;span style='color:%1'&gt;&lt;b&gt;Red frame and corner&lt;/b&gt;&lt;/span&gt;: the model got it wrong, and what it read instead. Click an image for details, double-click to try it in the Draw tab.</source>
        <translation>灰色角标：真实标签。&lt;span style='color:%1'&gt;&lt;b&gt;红色边框和角标&lt;/b&gt;&lt;/span&gt;：模型识别错误，角标显示它识别成的数字。单击图像查看详情，双击可在绘制页中试用。</translation>
    </message>
    <message>
        <source>Evaluation progress</source>
        <translation>评估进度</translation>
    </message>
    <message>
        <source>The active model is reading every image; the prediction filters unlock when it is done</source>
        <translation>当前模型正在读取每张图像；完成后即可使用预测筛选</translation>
    </message>
    <message>
        <source>MNIST images</source>
        <translation>MNIST 图像</translation>
    </message>
    <message>
        <source>No images match these filters.</source>
        <translation>没有符合这些筛选条件的图像。</translation>
    </message>
    <message>
        <source>&lt;span style='color:%1'&gt;&lt;b&gt;Orange corner below&lt;/b&gt;&lt;/span&gt;: %2 got it wrong, and what it read.</source>
        <translation>&lt;span style='color:%1'&gt;&lt;b&gt;右下方橙色角标&lt;/b&gt;&lt;/span&gt;：%2 识别错误，角标显示它识别成的数字。</translation>
    </message>
    <message>
        <source>Could not evaluate the model on MNIST: %1</source>
        <translation>无法在 MNIST 上评估模型：%1</translation>
    </message>
    <message>
        <source>Reading the test set with %1… %p%</source>
        <extracomment>Evaluation order: the test set drives the confusion matrix, so it comes first; the user's own digits are few, so they come before the 60,000 training images.</extracomment>
        <translation>正在用 %1 读取测试集… %p%</translation>
    </message>
    <message>
        <source>Reading your digits with %1… %p%</source>
        <translation>正在用 %1 读取我的数字… %p%</translation>
    </message>
    <message>
        <source>Reading the training set with %1… %p%</source>
        <translation>正在用 %1 读取训练集… %p%</translation>
    </message>
</context>
<context>
    <name>ImageExporter</name>
    <message>
        <source>Export images</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>已有导出任务正在进行。</translation>
    </message>
    <message>
        <source>MNIST is not loaded, so there are no images to export. Open the Dataset tab to download MNIST or to choose the folder that holds it.</source>
        <translation>未加载 MNIST，因此没有可导出的图像。请打开“数据集”页下载 MNIST，或选择存放它的文件夹。</translation>
    </message>
    <message>
        <source>Exporting %1 images to %2…</source>
        <translation>正在将 %1 张图像导出到 %2…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Wrote %1 images to %2.</source>
        <translation>已将 %1 张图像写入 %2。</translation>
    </message>
    <message>
        <source>%1 were already there and were kept.</source>
        <translation>其中 %1 张已存在，予以保留。</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export cancelled</source>
        <translation>导出已取消</translation>
    </message>
    <message>
        <source>The export was stopped. The pictures written so far are complete; exporting to the same folder again continues where it stopped.</source>
        <translation>导出已停止。已写出的图片都是完整的；再次导出到同一文件夹会从停止的地方继续。</translation>
    </message>
</context>
<context>
    <name>InsidePanel</name>
    <message>
        <source>No test images</source>
        <translation>没有测试图像</translation>
    </message>
    <message>
        <source>The test digit the network reads</source>
        <translation>网络正在识别的测试数字</translation>
    </message>
    <message>
        <source>A kernel is a small grid of weights the first layer slides over the digit: it starts as random noise, and training shapes it into a detector of strokes and edges. Below, what every layer makes of this one test digit with the weights so far.</source>
        <translation>卷积核是第一层在数字上滑动的一小格权重：它起初是随机噪声，训练会把它塑造成笔画和边缘的检测器。下方显示的是，用目前的权重，每一层对这个测试数字的处理结果。</translation>
    </message>
    <message>
        <source>Start training to watch the kernels learn.</source>
        <translation>开始训练，观察卷积核如何学习。</translation>
    </message>
    <message>
        <source>The network reads %1</source>
        <translation>网络识别为 %1</translation>
    </message>
    <message>
        <source>before training</source>
        <translation>训练前</translation>
    </message>
    <message>
        <source>end of epoch %1/%2</source>
        <translation>第 %1/%2 轮结束</translation>
    </message>
    <message>
        <source>epoch %1/%2, batch %3 of %4</source>
        <translation>第 %1/%2 轮，批次 %3/%4</translation>
    </message>
    <message>
        <source>Test image %1, a %2</source>
        <translation>测试图像 %1，数字 %2</translation>
    </message>
</context>
<context>
    <name>KernelsView</name>
    <message>
        <source>Kernels of %1</source>
        <translation>%1 的卷积核</translation>
    </message>
    <message>
        <source>Draw a digit to see the kernels.</source>
        <translation>画一个数字来查看卷积核。</translation>
    </message>
    <message>
        <source>This model has no convolution layer %1.</source>
        <translation>该模型没有卷积层 %1。</translation>
    </message>
    <message>
        <source>%1 kernels of %2×%3 weights, one per map, each sliding over %4</source>
        <translation>%1 个 %2×%3 权重的卷积核，每个特征图一个，各自在 %4 上滑动</translation>
    </message>
    <message>
        <source>%1 kernels of %2×%3 weights: a column per %4 map, a row per %5 map it reads</source>
        <translation>%1 个 %2×%3 权重的卷积核：每列对应一个 %4 特征图，每行对应它读取的一个 %5 特征图</translation>
    </message>
    <message>
        <source>the digit</source>
        <translation>数字图像</translation>
    </message>
    <message>
        <source>%1 map %2</source>
        <translation>%1 特征图 %2</translation>
    </message>
    <message>
        <source>%1 map %2 does not read %3: the two are not connected.</source>
        <translation>%1 特征图 %2 不读取 %3：两者之间没有连接。</translation>
    </message>
    <message>
        <source>Kernel of %1 map %2 reading %3</source>
        <translation>%1 特征图 %2 读取 %3 所用的卷积核</translation>
    </message>
    <message>
        <source>%1×%2 weights from %3 to %4</source>
        <translation>%1×%2 个权重，范围 %3 至 %4</translation>
    </message>
    <message>
        <source>bias of the map: %1</source>
        <translation>该特征图的偏置：%1</translation>
    </message>
</context>
<context>
    <name>LayerTableModel</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>normalised digit</source>
        <translation>归一化的数字</translation>
    </message>
</context>
<context>
    <name>LossChart</name>
    <message>
        <source>Training loss</source>
        <extracomment>Most points a chart series ever holds (plus one partly filled bucket).</extracomment>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Training loss chart</source>
        <translation>训练损失图表</translation>
    </message>
    <message>
        <source>The loss on each training batch (light) and a smoothed trend (bold).
It should fall quickly and then flatten; if it climbs or jumps around,
the learning rate is probably too high.</source>
        <translation>每个训练批次的损失（浅色）及其平滑趋势（粗线）。
它应当先快速下降，然后趋于平稳；如果上升或剧烈波动，
很可能是学习率太高。</translation>
    </message>
    <message>
        <source>Loss per batch</source>
        <translation>每批次损失</translation>
    </message>
    <message>
        <source>Smoothed (moving average)</source>
        <translation>平滑（移动平均）</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Loss (log scale)</source>
        <translation>损失（对数坐标）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>LeNet Digits</source>
        <translation>LeNet Digits</translation>
    </message>
    <message>
        <source>&amp;Draw</source>
        <translation>绘制(&amp;D)</translation>
    </message>
    <message>
        <source>Data&amp;set</source>
        <translation>数据集(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>Active model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>Ignored saved settings: %1</source>
        <translation>已忽略保存的设置：%1</translation>
    </message>
    <message>
        <source>the settings file %1, which cannot be read</source>
        <translation>无法读取的设置文件 %1</translation>
    </message>
    <message>
        <source>damaged parts of the settings file %1</source>
        <translation>设置文件 %1 中损坏的部分</translation>
    </message>
    <message>
        <source>last model (%1)</source>
        <translation>上次的模型（%1）</translation>
    </message>
    <message>
        <source>MNIST folder %1, which is not a folder</source>
        <translation>MNIST 文件夹 %1（它不是文件夹）</translation>
    </message>
    <message>
        <source>MNIST folder %1 no longer exists</source>
        <translation>MNIST 文件夹 %1（已不存在）</translation>
    </message>
    <message>
        <source>training settings %1 (defaults used)</source>
        <translation>训练设置 %1（已改用默认值）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open image…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Load model…</source>
        <translation>加载模型(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Save model as…</source>
        <translation>模型另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>E&amp;xport model (ONNX, TorchScript)…</source>
        <translation>导出模型（ONNX、TorchScript）(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Export images…</source>
        <translation>导出图像(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LeNet Digits</source>
        <translation>关于 LeNet Digits(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Load model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Loaded model %1</source>
        <translation>已加载模型 %1</translation>
    </message>
    <message>
        <source>Cannot load model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <source>Cannot use your digits</source>
        <translation>无法使用“我的数字”</translation>
    </message>
    <message>
        <source>Run history: %1 file(s) skipped: %2</source>
        <translation>训练历史：跳过了 %1 个无法读取的文件：%2</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>训练历史</translation>
    </message>
    <message>
        <source>Save model as</source>
        <translation>模型另存为</translation>
    </message>
    <message>
        <source>Cannot save model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved model to %1</source>
        <translation>模型已保存到 %1</translation>
    </message>
    <message>
        <source>ONNX (*.onnx)</source>
        <translation>ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>TorchScript (*.pt)</source>
        <translation>TorchScript (*.pt)</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Exported the model to %1 (ONNX, opset %2): open it in Netron to see its layers</source>
        <translation>已将模型导出到 %1（ONNX，opset %2）：用 Netron 打开即可查看各层</translation>
    </message>
    <message>
        <source>Exported the model to %1 (TorchScript)</source>
        <translation>已将模型导出到 %1（TorchScript）</translation>
    </message>
    <message>
        <source>Cannot export model</source>
        <translation>无法导出模型</translation>
    </message>
    <message>
        <source>About LeNet Digits</source>
        <translation>关于 LeNet Digits</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LeNet Digits %1&lt;/h3&gt;&lt;p&gt;Draw a digit and watch LeNet read it; train LeNet on MNIST with live charts; browse the test images the model gets wrong.&lt;/p&gt;&lt;p&gt;Python %2 · PyTorch %3 · Qt %4 (PySide6 %5)&lt;/p&gt;&lt;p&gt;MNIST database by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, used under the Creative Commons Attribution-Share Alike 3.0 licence (CC BY-SA 3.0).&lt;/p&gt;&lt;p&gt;LeNet-5: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, “Gradient-based learning applied to document recognition”, Proc. IEEE, 1998.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LeNet Digits %1&lt;/h3&gt;&lt;p&gt;画一个数字，看 LeNet 如何识别它；在 MNIST 上训练 LeNet，并实时查看图表；浏览模型识别错误的测试图像。&lt;/p&gt;&lt;p&gt;Python %2 · PyTorch %3 · Qt %4 (PySide6 %5)&lt;/p&gt;&lt;p&gt;MNIST 数据库由 Yann LeCun、Corinna Cortes 和 Christopher J. C. Burges 创建，依据知识共享署名-相同方式共享 3.0 许可协议（CC BY-SA 3.0）使用。&lt;/p&gt;&lt;p&gt;LeNet-5：Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, “Gradient-based learning applied to document recognition”, Proc. IEEE, 1998.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>trained in this session</source>
        <translation>本次会话中训练</translation>
    </message>
    <message>
        <source>MNIST loaded from %1</source>
        <translation>已从 %1 加载 MNIST</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <source>Training is still running. Stop it and quit?</source>
        <translation>训练仍在进行。要停止训练并退出吗？</translation>
    </message>
</context>
<context>
    <name>MapDetailDialog</name>
    <message>
        <source>Inside the network: one map</source>
        <translation>网络内部：单张特征图</translation>
    </message>
    <message>
        <source>The map, enlarged</source>
        <translation>放大的特征图</translation>
    </message>
    <message>
        <source>%1 · map %2 of %3 · %4×%5</source>
        <translation>%1 · 第 %2/%3 张特征图 · %4×%5</translation>
    </message>
    <message>
        <source>%1 · %2 units</source>
        <translation>%1 · %2 个单元</translation>
    </message>
    <message>
        <source>No map</source>
        <translation>无特征图</translation>
    </message>
    <message>
        <source>Draw a digit, then click a map in the network view.</source>
        <translation>先画一个数字，再在网络视图中点击一张特征图。</translation>
    </message>
    <message>
        <source>The current model has no layer %1. Click a map in the network view.</source>
        <translation>当前模型没有 %1 层。请在网络视图中点击一张特征图。</translation>
    </message>
    <message>
        <source>Pixel at row %1, column %2:</source>
        <translation>第 %1 行、第 %2 列的像素：</translation>
    </message>
    <message>
        <source>sum of the %1 products patch × kernel = %2</source>
        <translation>%1 个乘积（图块 × 卷积核）之和 = %2</translation>
    </message>
    <message>
        <source>+ bias %1 = %2</source>
        <translation>+ 偏置 %1 = %2</translation>
    </message>
    <message>
        <source>%1(%2) = %3</source>
        <translation>%1(%2) = %3</translation>
    </message>
    <message>
        <source>No activation function inside %1 itself (a later layer applies it), so the value is %2</source>
        <translation>%1 本身不含激活函数（由后面的层施加），因此值为 %2</translation>
    </message>
    <message>
        <source>The map holds %1 at this pixel.</source>
        <translation>该特征图在此像素处的值为 %1。</translation>
    </message>
    <message>
        <source>A feature map: where one kernel finds its pattern. Each pixel is the patch under the kernel, multiplied weight by weight and summed, plus a bias, then passed through %1. Point at or click a pixel to see its numbers.</source>
        <translation>特征图：显示一个卷积核在哪里找到它的图案。每个像素的值是卷积核覆盖的图块与卷积核逐个权重相乘后求和，加上偏置，再经过 %1 得到的。指向或点击一个像素即可查看它的数值。</translation>
    </message>
    <message>
        <source>A feature map: where one kernel finds its pattern. Each pixel is the patch under the kernel, multiplied weight by weight and summed, plus a bias. Point at or click a pixel to see its numbers.</source>
        <translation>特征图：显示一个卷积核在哪里找到它的图案。每个像素的值是卷积核覆盖的图块与卷积核逐个权重相乘后求和，再加上偏置。指向或点击一个像素即可查看它的数值。</translation>
    </message>
    <message>
        <source>Each unit of %1 is a convolution whose kernels cover the whole of every map below, so each of its maps is a single number: too many weights to show as arithmetic here.</source>
        <translation>%1 的每个单元都是一个卷积，其卷积核覆盖前一层每张特征图的全部，因此它的每张特征图只有一个数：权重太多，这里无法以算式展示。</translation>
    </message>
    <message>
        <source>A pooling layer takes the largest value of each 2×2 block of the map below, so the map shrinks by half and small shifts of the digit matter less. No kernel here.</source>
        <translation>池化层取前一层特征图中每个 2×2 块的最大值，因此特征图缩小一半，数字的微小平移影响也更小。这里没有卷积核。</translation>
    </message>
    <message>
        <source>A subsampling layer sums up each 2×2 block of the map below in one number (here a weighted average), so the map shrinks by half. No kernel here.</source>
        <translation>下采样层把前一层特征图中的每个 2×2 块汇总为一个数（这里是加权平均），因此特征图缩小一半。这里没有卷积核。</translation>
    </message>
    <message>
        <source>A normalisation layer shifts and rescales each map of the layer below with numbers learned in training, to keep them in a steady range. No kernel here.</source>
        <translation>归一化层用训练中学到的数值对前一层的每张特征图进行平移和缩放，使数值保持在稳定的范围内。这里没有卷积核。</translation>
    </message>
    <message>
        <source>The output layer: one number per digit. The largest is the network's answer; softmax turns them into the probabilities.</source>
        <translation>输出层：每个数字对应一个数。最大的那个就是网络的答案；softmax 把它们转换为概率。</translation>
    </message>
    <message>
        <source>A dense (fully connected) layer: each unit multiplies every number of the layer below by its own weight, sums them, adds a bias and applies its activation. Too many weights to show as arithmetic here.</source>
        <translation>全连接层：每个单元把前一层的每个数分别乘以自己的权重，求和，加上偏置，再施加激活函数。权重太多，这里无法以算式展示。</translation>
    </message>
</context>
<context>
    <name>MnistImageListModel</name>
    <message>
        <source>test image</source>
        <extracomment>Thumbnail scales offered to the user: 2× fits many on screen, 4× reads well on a projector. The compared model's wrong answer on a thumbnail (the active model's is MISTAKE red).</extracomment>
        <translation>测试图像</translation>
    </message>
    <message>
        <source>training image</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <source>my digit</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <source>%1 #%2: label %3</source>
        <translation>%1 #%2：标签 %3</translation>
    </message>
    <message>
        <source>, predicted %1 (%2)</source>
        <translation>，预测为 %1（%2）</translation>
    </message>
    <message>
        <source>; %1 read %2 (%3)</source>
        <translation>；%1 识别为 %2（%3）</translation>
    </message>
</context>
<context>
    <name>MnistLoadingPage</name>
    <message>
        <source>Loading MNIST…</source>
        <translation>正在加载 MNIST…</translation>
    </message>
    <message>
        <source>Loading MNIST</source>
        <translation>正在加载 MNIST</translation>
    </message>
    <message>
        <source>Reading the 70,000 images; this takes a second or two</source>
        <translation>正在读取 70,000 张图像，需要一两秒</translation>
    </message>
</context>
<context>
    <name>MnistSetupPage</name>
    <message>
        <source>MNIST is not on this computer yet</source>
        <translation>这台计算机上还没有 MNIST</translation>
    </message>
    <message>
        <source>The Dataset tab shows the 70,000 handwritten digits of MNIST and how the model reads each of them. Download MNIST once (about 11 MB), or choose a folder that already holds it: the four &lt;tt&gt;.gz&lt;/tt&gt; files, or torchvision's &lt;tt&gt;MNIST/raw&lt;/tt&gt; folder or its parent. The Draw tab works without it.</source>
        <translation>“数据集”标签页展示 MNIST 的 70,000 个手写数字，以及模型如何识别其中的每一个。请下载一次 MNIST（约 11 MB），或选择一个已包含它的文件夹：存放四个 &lt;tt&gt;.gz&lt;/tt&gt; 文件的文件夹，或 torchvision 的 &lt;tt&gt;MNIST/raw&lt;/tt&gt; 文件夹或其上级文件夹。“绘制”标签页不需要 MNIST 也能使用。</translation>
    </message>
    <message>
        <source>Download MNIST (about 11 MB)</source>
        <translation>下载 MNIST（约 11 MB）</translation>
    </message>
    <message>
        <source>Download MNIST</source>
        <translation>下载 MNIST</translation>
    </message>
    <message>
        <source>Fetch the four MNIST files into %1</source>
        <translation>将四个 MNIST 文件下载到 %1</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Choose the MNIST folder</source>
        <translation>选择 MNIST 文件夹</translation>
    </message>
    <message>
        <source>Point the app at a folder that already holds MNIST</source>
        <translation>让应用使用一个已包含 MNIST 的文件夹</translation>
    </message>
    <message>
        <source>Browse my digits</source>
        <translation>浏览我的数字</translation>
    </message>
    <message>
        <source>Browse the digits you saved in the Draw tab; MNIST can be fetched later</source>
        <translation>浏览你在“绘制”标签页中保存的数字；MNIST 可以稍后再下载</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>Bytes of MNIST downloaded so far</source>
        <translation>目前已下载的 MNIST 字节数</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Stop downloading; complete files are kept</source>
        <translation>停止下载；已下载完整的文件会保留</translation>
    </message>
    <message>
        <source>Browse my digits (%1)</source>
        <translation>浏览我的数字（%1）</translation>
    </message>
    <message>
        <source>No MNIST in %1. Choose the folder that holds the four files %2, torchvision's MNIST/raw folder, or its parent.</source>
        <translation>%1 中没有 MNIST。请选择包含 %2 这四个文件的文件夹、torchvision 的 MNIST/raw 文件夹或其上级文件夹。</translation>
    </message>
    <message>
        <source>MNIST has not been loaded.</source>
        <translation>MNIST 尚未加载。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Downloading MNIST… %1 of %2 MB</source>
        <translation>正在下载 MNIST… %1 / %2 MB</translation>
    </message>
    <message>
        <source>Downloading MNIST… %1 MB</source>
        <translation>正在下载 MNIST… %1 MB</translation>
    </message>
    <message>
        <source>Download cancelled. Files that were complete are kept, so the next download continues from there.</source>
        <translation>下载已取消。已下载完整的文件会保留，下次下载将从那里继续。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Choose the folder with MNIST</source>
        <translation>选择包含 MNIST 的文件夹</translation>
    </message>
</context>
<context>
    <name>ModelComparison</name>
    <message>
        <source>Only %1 right</source>
        <extracomment>The outcome filter's choices, in the order the combo box lists them (None: every image).</extracomment>
        <translation>仅 %1 正确</translation>
    </message>
    <message>
        <source>Both right</source>
        <translation>两者都正确</translation>
    </message>
    <message>
        <source>Both wrong</source>
        <translation>两者都错误</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>&amp;Model:</source>
        <extracomment>Item data role holding the checkpoint path of an entry ("" for a model that has no file). Item data role that marks the entry of an active model the list does not hold.</extracomment>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The model that reads your drawing: one that ships with the app, or one made by your training runs</source>
        <translation>识别你所画数字的模型：应用内置的模型，或你的训练得到的模型</translation>
    </message>
    <message>
        <source>not evaluated</source>
        <translation>未评估</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Run %1 — %2</source>
        <translation>训练 %1 — %2</translation>
    </message>
    <message>
        <source>Run: %1, %2 — %3</source>
        <translation>训练：%1，%2 — %3</translation>
    </message>
    <message>
        <source>Shipped with the app: %1</source>
        <translation>内置模型：%1</translation>
    </message>
    <message>
        <source>Your training run %1: %2</source>
        <translation>你的训练 %1：%2</translation>
    </message>
    <message>
        <source>%1, trained in this session (not saved) — %2</source>
        <translation>%1，本次会话中训练（未保存）— %2</translation>
    </message>
    <message>
        <source>%1 (opened file) — %2</source>
        <translation>%1（打开的文件）— %2</translation>
    </message>
    <message>
        <source>Trained in this session</source>
        <translation>本次会话中训练</translation>
    </message>
</context>
<context>
    <name>ModelSummary</name>
    <message>
        <source>%1, not evaluated, %2</source>
        <translation>%1，未评估，%2</translation>
    </message>
    <message>
        <source>%1, %2 test accuracy, %3</source>
        <translation>%1，测试准确率 %2，%3</translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <source>Each small picture is a feature map: where one kernel found its pattern in the layer before. Hover: numbers; click: enlarge.</source>
        <translation>每张小图都是一张特征图：显示一个卷积核在前一层中哪里找到了它的图案。悬停：查看数值；点击：放大。</translation>
    </message>
    <message>
        <source>Draw a digit to see the kernels.</source>
        <translation>画一个数字即可查看卷积核。</translation>
    </message>
    <message>
        <source>A kernel is a small grid of weights that slides over the maps below: where the picture looks like the kernel (red where the weight is positive, blue where negative) its feature map lights up. Training chose these numbers.</source>
        <translation>卷积核是一小格权重，在前一层的特征图上滑动：图像与卷积核相似的地方（红色表示权重为正，蓝色表示权重为负），它的特征图就会变亮。这些数值是训练得出的。</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>What every layer computes from the digit</source>
        <translation>每一层根据这个数字计算出的结果</translation>
    </message>
    <message>
        <source>The weights the convolution layers slide over their input</source>
        <translation>卷积层在其输入上滑动的权重</translation>
    </message>
    <message>
        <source>This model has no convolution layers.</source>
        <translation>该模型没有卷积层。</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <source>Feature maps of every layer</source>
        <translation>每一层的特征图</translation>
    </message>
    <message>
        <source>Draw a digit to see what each layer of the network computes from it.</source>
        <translation>画一个数字，查看网络的每一层根据它计算出什么。</translation>
    </message>
    <message>
        <source>This model has no layers to show.</source>
        <translation>该模型没有可显示的层。</translation>
    </message>
    <message>
        <source>%1, digit %2: %3</source>
        <translation>%1，数字 %2：%3</translation>
    </message>
    <message>
        <source>%1, map %2 of %3 (%4×%5)</source>
        <translation>%1，第 %2/%3 张特征图（%4×%5）</translation>
    </message>
    <message>
        <source>min %1, max %2</source>
        <translation>最小值 %1，最大值 %2</translation>
    </message>
    <message>
        <source>here (row %1, column %2): %3</source>
        <translation>此处（第 %1 行，第 %2 列）：%3</translation>
    </message>
    <message>
        <source>%1, unit %2 of %3: %4</source>
        <translation>%1，第 %2/%3 个单元：%4</translation>
    </message>
    <message>
        <source>whole layer: min %1, max %2</source>
        <translation>整层：最小值 %1，最大值 %2</translation>
    </message>
    <message>
        <source>Click to enlarge.</source>
        <translation>点击放大。</translation>
    </message>
    <message>
        <source>%1: %2 numbers from %3 to %4</source>
        <translation>%1：%2 个数，范围 %3 到 %4</translation>
    </message>
    <message>
        <source>colours from %1 to %2</source>
        <translation>颜色范围 %1 到 %2</translation>
    </message>
</context>
<context>
    <name>PastRunsPanel</name>
    <message>
        <source>Refresh</source>
        <extracomment>A line for the run log (a chart saved), as a function giving it in the current language.</extracomment>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the run history again, with the runs trained since on the command line</source>
        <translation>重新读取训练历史，包括此后在命令行中完成的训练</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Make the selected run's network the active model, which the Draw and Dataset tabs use</source>
        <translation>将所选训练的网络设为当前模型，供“绘制”和“数据集”标签页使用</translation>
    </message>
    <message>
        <source>Open &amp;model</source>
        <translation>打开模型(&amp;M)</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除训练</translation>
    </message>
    <message>
        <source>Delete the selected runs: their records and checkpoints (asks first)</source>
        <translation>删除所选训练的记录和检查点（会先询问）</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Past runs</source>
        <translation>以往的训练</translation>
    </message>
    <message>
        <source>Every training run, newest first; select several (Ctrl+click, Shift+click) to compare their curves below</source>
        <translation>所有训练，最新的在前；选择多个（Ctrl+单击、Shift+单击）即可在下方比较它们的曲线</translation>
    </message>
    <message>
        <source>Past runs' loss chart log scale</source>
        <translation>以往训练损失图表的对数坐标</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis, so that late differences between the runs stay visible</source>
        <translation>用对数坐标轴显示损失，使各次训练后期的差别依然清晰可见</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Reading the run history…</source>
        <translation>正在读取训练历史…</translation>
    </message>
    <message>
        <source>No runs yet: every training run, in this window or on the command line, is kept here.</source>
        <translation>还没有训练：在本窗口或命令行中进行的每次训练都会保存在这里。</translation>
    </message>
    <message>
        <source>%1 run(s). Select runs to compare their curves: Ctrl+click or Shift+click selects several.</source>
        <translation>共 %1 次训练。选择训练即可比较它们的曲线：Ctrl+单击或 Shift+单击可选择多个。</translation>
    </message>
    <message>
        <source>%1 of %2 run(s) selected</source>
        <translation>已选择 %1 次训练（共 %2 次）</translation>
    </message>
    <message>
        <source>%1 run file(s) could not be read: they are skipped and left as they are. Point here for the details.</source>
        <translation>有 %1 个训练文件无法读取：已跳过，并保持原样。将鼠标指向此处可查看详情。</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>The checkpoint of run %1 is gone: %2 no longer exists. The run's curves stay in the history.</source>
        <translation>训练 %1 的检查点已不在：%2 已不存在。这次训练的曲线仍保留在训练历史中。</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>以及另外 %1 次</translation>
    </message>
    <message>
        <source>Delete %1 run(s)? Their records and checkpoints are removed for good:

%2</source>
        <translation>删除 %1 次训练？它们的记录和检查点将被永久删除：

%2</translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <source>Prediction hint</source>
        <translation>预测提示</translation>
    </message>
    <message>
        <source>Predicted digit</source>
        <translation>预测的数字</translation>
    </message>
    <message>
        <source>The digit the network reads</source>
        <translation>网络识别出的数字</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>The probability the network gives its answer</source>
        <translation>网络对其答案给出的概率</translation>
    </message>
    <message>
        <source>Second guess</source>
        <translation>第二候选</translation>
    </message>
    <message>
        <source>The digit the network finds next most likely</source>
        <translation>网络认为可能性第二大的数字</translation>
    </message>
    <message>
        <source>nothing yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>What the network sees</source>
        <translation>网络看到的图像</translation>
    </message>
    <message>
        <source>The 28×28 picture the network is given</source>
        <translation>输入网络的 28×28 图像</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
    <message>
        <source>%1 sure</source>
        <translation>置信度 %1</translation>
    </message>
    <message>
        <source>next best: %1 (%2)</source>
        <translation>次选：%1（%2）</translation>
    </message>
    <message>
        <source>&gt;99.9%</source>
        <extracomment>Object names of the parts, as the Draw tab has always had them (tests find widgets by them). Pass `names=` to rename some, e.g. {"input": "detailImage"} in the Dataset tab.</extracomment>
        <translation>&gt;99.9%</translation>
    </message>
    <message>
        <source>&lt;0.1%</source>
        <translation>&lt;0.1%</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
    <message>
        <source>How sure the network is about each digit 0–9</source>
        <translation>网络对 0–9 每个数字的置信度</translation>
    </message>
</context>
<context>
    <name>ResultBanner</name>
    <message>
        <source>LeNet Digits model (*.pt);;All files (*)</source>
        <translation>LeNet Digits 模型 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Finished: %1 test accuracy in %2</source>
        <translation>完成：用时 %2，测试准确率 %1</translation>
    </message>
    <message>
        <source>Stopped after %1 of %2 epochs: %3 test accuracy with the weights learned so far</source>
        <translation>已在第 %1/%2 轮后停止：用目前学到的权重，测试准确率为 %3</translation>
    </message>
    <message>
        <source>The kept weights reach %1 test accuracy.</source>
        <translation>保留的权重测试准确率为 %1。</translation>
    </message>
    <message>
        <source>Try a smaller learning rate.</source>
        <translation>请尝试更小的学习率。</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Use th&amp;is model</source>
        <translation>使用此模型(&amp;I)</translation>
    </message>
    <message>
        <source>Use this model</source>
        <extracomment>A line for the run log (the model was activated or saved), as a function that gives it in the language of the moment: the log shows it again when the language changes.</extracomment>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>Make the network you just trained the one the Draw and Dataset tabs use</source>
        <translation>让“绘制”和“数据集”标签页使用你刚训练好的网络</translation>
    </message>
    <message>
        <source>Sa&amp;ve model…</source>
        <translation>保存模型(&amp;V)…</translation>
    </message>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Save the trained network to a file you can load later</source>
        <translation>将训练好的网络保存到文件，以便以后加载</translation>
    </message>
    <message>
        <source>In use ✓</source>
        <translation>使用中 ✓</translation>
    </message>
    <message>
        <source>The Draw and Dataset tabs now use this model (%1).</source>
        <translation>“绘制”和“数据集”标签页现在使用此模型（%1）。</translation>
    </message>
    <message>
        <source>Save trained model</source>
        <translation>保存训练好的模型</translation>
    </message>
    <message>
        <source>Cannot save model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved the model to %1</source>
        <translation>模型已保存到 %1</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>Start trai&amp;ning</source>
        <translation>开始训练(&amp;N)</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause after the current batch; press again to resume</source>
        <translation>在当前批次结束后暂停；再按一次继续</translation>
    </message>
    <message>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>End the run now and keep the weights learned so far</source>
        <translation>立即结束本次训练，并保留目前学到的权重</translation>
    </message>
    <message>
        <source>Resume from chec&amp;kpoint…</source>
        <translation>从检查点继续(&amp;K)…</translation>
    </message>
    <message>
        <source>Resume from checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <source>Continue an earlier run from its checkpoint file (saved after every epoch).
Set Epochs to the new total, e.g. 10 to continue a 5-epoch run for 5 more.</source>
        <translation>从检查点文件（每轮结束后保存）继续之前的一次训练。
请把“轮数”设为新的总轮数，例如要让一次 5 轮的训练再训练 5 轮，就设为 10。</translation>
    </message>
    <message>
        <source>Fine-tune on m&amp;y digits</source>
        <translation>在我的数字上微调(&amp;Y)</translation>
    </message>
    <message>
        <source>Fine-tune on my digits</source>
        <translation>在我的数字上微调</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Batches trained out of the whole run</source>
        <translation>整次训练中已训练的批次</translation>
    </message>
    <message>
        <source>Not started</source>
        <extracomment>Numbers that change 10 times a second cannot be read: the stat labels follow every third tick.</extracomment>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Elapsed time</source>
        <translation>已用时间</translation>
    </message>
    <message>
        <source>Wall-clock time since the run started, pauses included</source>
        <translation>自训练开始以来的实际时间，包括暂停时间</translation>
    </message>
    <message>
        <source>Estimated time left</source>
        <translation>预计剩余时间</translation>
    </message>
    <message>
        <source>Estimated time until the last epoch ends, from the current speed</source>
        <translation>按当前速度估算的、到最后一轮结束所需的时间</translation>
    </message>
    <message>
        <source>Training speed</source>
        <translation>训练速度</translation>
    </message>
    <message>
        <source>Training images processed per second</source>
        <translation>每秒处理的训练图像数</translation>
    </message>
    <message>
        <source>Current loss and learning rate</source>
        <translation>当前损失和学习率</translation>
    </message>
    <message>
        <source>Loss on the latest batch and the learning rate used for it (the schedule changes it during the run)</source>
        <translation>最近一个批次的损失及其使用的学习率（学习率调度会在训练过程中改变它）</translation>
    </message>
    <message>
        <source>Train a new network with the settings on the left</source>
        <translation>用左侧的设置训练一个新网络</translation>
    </message>
    <message>
        <source>Stopping — testing the weights learned so far…</source>
        <translation>正在停止 — 正在测试目前学到的权重…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>ETA &lt;b&gt;–&lt;/b&gt;</source>
        <translation>剩余 &lt;b&gt;–&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Finished — %1</source>
        <translation>已完成 — %1</translation>
    </message>
    <message>
        <source>Stopped — %1</source>
        <translation>已停止 — %1</translation>
    </message>
    <message>
        <source>Diverged — %1</source>
        <translation>已发散 — %1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>preparing the first batch</source>
        <translation>正在准备第一个批次</translation>
    </message>
    <message>
        <source>Paused — %1</source>
        <translation>已暂停 — %1</translation>
    </message>
    <message>
        <source>Starting — %1</source>
        <translation>正在启动 — %1</translation>
    </message>
    <message>
        <source>Epoch %1/%2 · testing on the test images…</source>
        <translation>第 %1/%2 轮 · 正在用测试图像测试…</translation>
    </message>
    <message>
        <source>ETA &lt;b&gt;paused&lt;/b&gt;</source>
        <translation>剩余 &lt;b&gt;已暂停&lt;/b&gt;</translation>
    </message>
    <message>
        <source>ETA &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>剩余 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Epoch %1/%2 · batch %3/%4</source>
        <translation>第 %1/%2 轮 · 批次 %3/%4</translation>
    </message>
    <message>
        <source>Elapsed &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>已用 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; images/s</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 张/秒</translation>
    </message>
    <message>
        <source>Loss &lt;b&gt;%1&lt;/b&gt; · lr %2</source>
        <translation>损失 &lt;b&gt;%1&lt;/b&gt; · 学习率 %2</translation>
    </message>
    <message>
        <source>Elapsed &lt;b&gt;–&lt;/b&gt;</source>
        <translation>已用 &lt;b&gt;–&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;–&lt;/b&gt; images/s</source>
        <translation>&lt;b&gt;–&lt;/b&gt; 张/秒</translation>
    </message>
    <message>
        <source>Loss &lt;b&gt;–&lt;/b&gt;</source>
        <translation>损失 &lt;b&gt;–&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>RunHistoryModel</name>
    <message>
        <source>Date</source>
        <extracomment>Runs a delete confirmation names one by one; more are counted.</extracomment>
        <translation>日期</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Optimizer, learning rate and batch size; point at a run for its whole recipe</source>
        <translation>优化器、学习率和批大小；将鼠标指向某次训练可查看完整配置</translation>
    </message>
    <message>
        <source>Epochs trained (of those asked for, when the run ended early)</source>
        <translation>已训练的轮数（提前结束时另注明计划的轮数）</translation>
    </message>
    <message>
        <source>Accuracy on the 10,000 test images at the end of the run</source>
        <translation>训练结束时在 10,000 张测试图像上的准确率</translation>
    </message>
    <message>
        <source>Wall-clock time of the run, pauses included</source>
        <translation>训练实际耗时，包括暂停的时间</translation>
    </message>
    <message>
        <source>Trained in this window (GUI) or with lenet-app train (CLI)</source>
        <translation>在本窗口中训练（图形界面）或用 lenet-app train 训练（命令行）</translation>
    </message>
    <message>
        <source>GUI</source>
        <translation>图形界面</translation>
    </message>
    <message>
        <source>CLI</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>%1 · lr %2 · batch %3</source>
        <translation>%1 · 学习率 %2 · 批大小 %3</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 张图像</translation>
    </message>
    <message>
        <source>augmented</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Started from %1</source>
        <translation>从 %1 开始</translation>
    </message>
    <message>
        <source>Checkpoint: %1</source>
        <translation>检查点：%1</translation>
    </message>
    <message>
        <source>Checkpoint: %1 (no longer there)</source>
        <translation>检查点：%1（已不存在）</translation>
    </message>
</context>
<context>
    <name>RunLog</name>
    <message>
        <source>Training log</source>
        <extracomment>Lines kept; the oldest go first, so a week-long session cannot grow without bound. A log line: a fixed text, or a function that formats it in the language of the moment.</extracomment>
        <translation>训练日志</translation>
    </message>
    <message>
        <source>One line per epoch, plus where the run's checkpoint is saved</source>
        <translation>每轮一行，并注明本次训练的检查点保存位置</translation>
    </message>
    <message>
        <source>Press Start training: a summary of every epoch appears here.</source>
        <translation>按“开始训练”后，每一轮的摘要会显示在这里。</translation>
    </message>
    <message>
        <source>%1  Resuming %2 from %3 after epoch %4</source>
        <translation>%1  从 %3 继续训练 %2（第 %4 轮之后）</translation>
    </message>
    <message>
        <source>%1  Fine-tuning %2 on my digits, starting from the active model</source>
        <translation>%1  以当前模型为起点，在我的数字上微调 %2</translation>
    </message>
    <message>
        <source>%1  Training %2</source>
        <translation>%1  训练 %2</translation>
    </message>
    <message>
        <source>    checkpoint saved after every epoch to %1</source>
        <translation>    每轮结束后将检查点保存到 %1</translation>
    </message>
    <message>
        <source>Diverged: %1</source>
        <translation>已发散：%1</translation>
    </message>
</context>
<context>
    <name>RunsAccuracyChart</name>
    <message>
        <source>Test accuracy per epoch</source>
        <translation>每轮测试准确率</translation>
    </message>
    <message>
        <source>Past runs' accuracy chart</source>
        <translation>以往训练的准确率图表</translation>
    </message>
    <message>
        <source>How many of the 10,000 test images each selected run classified correctly after each epoch.
Hover over a line for the exact value.</source>
        <translation>所选每次训练在每轮之后对 10,000 张测试图像分类正确的比例。
将鼠标悬停在曲线上可查看精确数值。</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Test accuracy (%)</source>
        <translation>测试准确率 (%)</translation>
    </message>
    <message>
        <source>%1: %2% test accuracy after epoch %3</source>
        <translation>%1：第 %3 轮后测试准确率 %2%</translation>
    </message>
</context>
<context>
    <name>RunsLossChart</name>
    <message>
        <source>Training loss (smoothed)</source>
        <extracomment>Most points a past run's loss curve holds: enough for its shape, cheap to overlay ten runs. Config keys a legend names at most; more differences end in "…". One colour per selected run (Tableau 10: told apart also by most colour-blind readers). Pixels a legend entry takes besides its text (the colour square and the spacing around), rather more than Qt's: a row judged to fit must fit.</extracomment>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <source>Past runs' loss chart</source>
        <translation>以往训练的损失图表</translation>
    </message>
    <message>
        <source>The training loss of each selected run, smoothed like the bold line of the live chart.
Lower is better; a curve that falls faster learns faster.</source>
        <translation>所选每次训练的训练损失，按实时图表中粗线的方式平滑。
越低越好；下降得越快，学得越快。</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Loss (log scale)</source>
        <translation>损失（对数坐标）</translation>
    </message>
</context>
<context>
    <name>SaveDigitBar</name>
    <message>
        <source>Save as my digit</source>
        <translation>保存为我的数字</translation>
    </message>
    <message>
        <source>Label to save with</source>
        <translation>保存时使用的标签</translation>
    </message>
    <message>
        <source>The digit you meant; set to the network's answer, change it when the network is wrong</source>
        <translation>你想写的数字；默认为网络的答案，网络识别错误时请修改</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>保存(&amp;V)</translation>
    </message>
    <message>
        <source>Keep this drawing as one of your digits, with the label on the left.
Faster: press its key 0–9, which saves and clears the canvas.</source>
        <translation>用左侧的标签把这幅画保存为你的一个数字。
更快的方法：按对应的数字键 0–9，即可保存并清空画布。</translation>
    </message>
    <message>
        <source>Undo last save</source>
        <translation>撤销上次保存</translation>
    </message>
    <message>
        <source>Remove the digit saved last (%1)</source>
        <translation>删除最后保存的数字（%1）</translation>
    </message>
    <message>
        <source>Saved digits</source>
        <translation>已保存的数字</translation>
    </message>
    <message>
        <source>Saved as %1 — %2 digits. %3 undoes.</source>
        <translation>已保存为 %1 — 共 %2 个数字。按 %3 撤销。</translation>
    </message>
    <message>
        <source>Draw a digit first, then press its key (%1) to save it.</source>
        <translation>请先画一个数字，再按对应的键（%1）保存。</translation>
    </message>
    <message>
        <source>Removed the %1 saved last — %2 digits.</source>
        <translation>已删除最后保存的 %1 — 共 %2 个数字。</translation>
    </message>
    <message>
        <source>%1 digits saved. Draw one and press its key (0–9) to save it.</source>
        <translation>已保存 %1 个数字。画一个数字并按对应的键（0–9）即可保存。</translation>
    </message>
    <message>
        <source>Draw a digit and press its key (0–9) to save it as one of your digits.</source>
        <translation>画一个数字并按对应的键（0–9），即可把它保存为你的数字。</translation>
    </message>
</context>
<context>
    <name>TestSetSummary</name>
    <message>
        <source>Test accuracy of the active model</source>
        <translation>当前模型的测试准确率</translation>
    </message>
    <message>
        <source>Rows: the true digit; columns: what the model read. &lt;span style='color:%1'&gt;Green&lt;/span&gt;: read correctly; &lt;span style='color:%2'&gt;red&lt;/span&gt;: mistakes, darker for more. Click a cell to show those images.</source>
        <translation>行：真实数字；列：模型识别的结果。&lt;span style='color:%1'&gt;绿色&lt;/span&gt;：识别正确；&lt;span style='color:%2'&gt;红色&lt;/span&gt;：错误，颜色越深错误越多。点击单元格可显示对应的图像。</translation>
    </message>
    <message>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <source>Test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Confusion matrix of your digits</source>
        <translation>你的数字的混淆矩阵</translation>
    </message>
    <message>
        <source>Confusion matrix of the test set</source>
        <translation>测试集的混淆矩阵</translation>
    </message>
    <message>
        <source>No predictions: see the message above the images.</source>
        <translation>没有预测结果：请查看图像上方的消息。</translation>
    </message>
    <message>
        <source>No digits saved yet. Draw one in the Draw tab and press its key (0–9) to save it.</source>
        <translation>还没有保存任何数字。请在“绘制”标签页中画一个数字，并按对应的键（0–9）保存。</translation>
    </message>
    <message>
        <source>The test set is not loaded.</source>
        <translation>测试集尚未加载。</translation>
    </message>
    <message>
        <source>Reading your digits…</source>
        <translation>正在读取你的数字…</translation>
    </message>
    <message>
        <source>Reading the 10,000 test images…</source>
        <translation>正在读取 10,000 张测试图像…</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%6 · %1: %2 correct&lt;/b&gt; (%3 of %4, %5 mistakes)</source>
        <translation>&lt;b&gt;%6 · %1：正确率 %2&lt;/b&gt;（%4 张中 %3 张正确，%5 张错误）</translation>
    </message>
</context>
<context>
    <name>TrainConfig</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Optimisation</source>
        <translation>优化</translation>
    </message>
    <message>
        <source>Data and hardware</source>
        <translation>数据与硬件</translation>
    </message>
    <message>
        <source>&amp;Architecture</source>
        <translation>网络结构(&amp;A)</translation>
    </message>
    <message>
        <source>Which network to train. All of them read a 28×28 digit and output a score for each digit 0–9; they differ in their layers.</source>
        <translation>要训练哪个网络。它们都读取 28×28 的数字图像，并为 0–9 每个数字输出一个得分；区别在于各自的层。</translation>
    </message>
    <message>
        <source>lenet5</source>
        <translation>lenet5</translation>
    </message>
    <message>
        <source>lenet5-1998</source>
        <translation>lenet5-1998</translation>
    </message>
    <message>
        <source>lenet-28</source>
        <translation>lenet-28</translation>
    </message>
    <message>
        <source>cnn-bn</source>
        <translation>cnn-bn</translation>
    </message>
    <message>
        <source>cnn-dropout</source>
        <translation>cnn-dropout</translation>
    </message>
    <message>
        <source>&amp;Epochs</source>
        <translation>轮数(&amp;E)</translation>
    </message>
    <message>
        <source>How many times the network sees every training image. More epochs learn more, until the test accuracy stops improving.</source>
        <translation>网络看到每张训练图像的次数。轮数越多，学到的越多，直到测试准确率不再提高。</translation>
    </message>
    <message>
        <source>&amp;Batch size</source>
        <translation>批大小(&amp;B)</translation>
    </message>
    <message>
        <source>How many images are averaged for each weight update. Larger batches run faster per image but update the weights less often.</source>
        <translation>每次更新权重时取平均的图像数。批次越大，平均到每张图像的速度越快，但权重更新得越少。</translation>
    </message>
    <message>
        <source>Optimi&amp;zer</source>
        <translation>优化器(&amp;Z)</translation>
    </message>
    <message>
        <source>How the weights move downhill on the loss. SGD takes plain steps (with momentum, like a rolling ball); Adam adapts the step of each weight and is less sensitive to the learning rate.</source>
        <translation>权重如何沿损失“下坡”移动。SGD 按普通步长前进（加上动量，就像滚动的小球）；Adam 为每个权重自适应地调整步长，对学习率不那么敏感。</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>&amp;Learning rate</source>
        <translation>学习率(&amp;L)</translation>
    </message>
    <message>
        <source>The size of each weight update. Too small: learning crawls. Too large: the loss jumps around or becomes NaN (diverges).</source>
        <translation>每次权重更新的幅度。太小：学习进展缓慢。太大：损失上下跳动或变成 NaN（发散）。</translation>
    </message>
    <message>
        <source>Adam β2</source>
        <translation>Adam β2</translation>
    </message>
    <message>
        <source>Adam only: how long Adam remembers the size of past gradients to scale each step (0.99 ≈ the last 100 steps, 0.999 ≈ the last 1,000). A shorter memory suits short runs.</source>
        <translation>仅用于 Adam：Adam 记住过去梯度大小的时长，用来缩放每一步（0.99 ≈ 最近 100 步，0.999 ≈ 最近 1,000 步）。记忆较短适合较短的训练。</translation>
    </message>
    <message>
        <source>&amp;Momentum</source>
        <translation>动量(&amp;M)</translation>
    </message>
    <message>
        <source>SGD only: how much of the previous step carries into the next one (0 = none, 0.9 = a lot). It smooths and speeds up SGD.</source>
        <translation>仅用于 SGD：上一步有多少延续到下一步（0 = 完全不延续，0.9 = 延续很多）。它使 SGD 更平稳、更快。</translation>
    </message>
    <message>
        <source>&amp;Weight decay</source>
        <translation>权重衰减(&amp;W)</translation>
    </message>
    <message>
        <source>Pulls every weight slightly towards zero at each step, which can reduce overfitting. 0 turns it off; try 0.0001.</source>
        <translation>每一步都把每个权重稍微拉向零，可以减少过拟合。0 表示关闭；可以试试 0.0001。</translation>
    </message>
    <message>
        <source>S&amp;chedule</source>
        <translation>学习率调度(&amp;C)</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run. Constant keeps it; step decay multiplies it by gamma after every epoch; one-cycle ramps it up, then smoothly down to almost zero.</source>
        <translation>训练过程中学习率如何变化。恒定：保持不变；步进衰减：每轮结束后乘以 gamma；单周期：先逐渐升高，再平滑地降到接近零。</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Step decay (× gamma each epoch)</source>
        <translation>步进衰减（每轮 × gamma）</translation>
    </message>
    <message>
        <source>One-cycle (warm up, then anneal)</source>
        <translation>单周期（先预热，后退火）</translation>
    </message>
    <message>
        <source>Warm-up share</source>
        <translation>预热占比</translation>
    </message>
    <message>
        <source>One-cycle only: the share of the run during which the learning rate climbs to its peak before it anneals (0.2 = the first fifth).</source>
        <translation>仅用于单周期：学习率在退火前升至峰值的阶段占整个训练的比例（0.2 = 前五分之一）。</translation>
    </message>
    <message>
        <source>Step &amp;gamma</source>
        <translation>步进 gamma(&amp;G)</translation>
    </message>
    <message>
        <source>Step decay only: the factor the learning rate is multiplied by after each epoch (0.7 = 30% smaller every epoch).</source>
        <translation>仅用于步进衰减：每轮结束后学习率所乘的系数（0.7 = 每轮减小 30%）。</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>What the network minimises. Cross-entropy punishes confident wrong answers and is the usual choice; mean squared error against the one-hot target is the older, slower alternative.</source>
        <translation>网络要最小化的量。交叉熵会重罚自信的错误答案，是常用的选择；相对于 one-hot 目标的均方误差是较早、较慢的替代方案。</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>Mean squared error on one-hot</source>
        <translation>均方误差（one-hot 目标）</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <source>Cross-entropy only: the target gives this share of its weight to the other nine digits instead of all to the right one (0 = off). A little smoothing stops the network from chasing certainty and helps short runs generalise.</source>
        <translation>仅用于交叉熵：目标把这一比例的权重分给其他九个数字，而不是全部给正确的数字（0 = 关闭）。少量平滑能防止网络一味追求确定性，并帮助较短的训练更好地泛化。</translation>
    </message>
    <message>
        <source>Augment</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Show the network slightly distorted copies of each digit (±12°, ±15% size, ±2.5 px), so it learns the shape rather than the exact pixels. Usually helps test accuracy on long runs.</source>
        <translation>让网络看到每个数字略微变形的副本（±12°、±15% 大小、±2.5 px），使它学习形状而不是确切的像素。在较长的训练中通常能提高测试准确率。</translation>
    </message>
    <message>
        <source>&amp;Randomly rotate, scale and shift digits</source>
        <translation>随机旋转、缩放和平移数字(&amp;R)</translation>
    </message>
    <message>
        <source>Training subset</source>
        <translation>训练子集</translation>
    </message>
    <message>
        <source>Train on a random sample of this many training images for a quick experiment (0 = all 60,000). Testing always uses all 10,000 test images.</source>
        <translation>从训练图像中随机抽取这么多张进行训练，便于快速实验（0 = 全部 60,000 张）。测试始终使用全部 10,000 张测试图像。</translation>
    </message>
    <message>
        <source>All 60,000 images</source>
        <translation>全部 60,000 张图像</translation>
    </message>
    <message>
        <source>Share of my digits</source>
        <translation>我的数字占比</translation>
    </message>
    <message>
        <source>Fine-tuning on your own digits only: the share of each batch taken from your digits (drawn again and again, however few they are), the rest from MNIST so that it is not forgotten. 0.25 = a quarter of every batch.</source>
        <translation>仅用于在你自己的数字上微调：每个批次中取自你的数字的比例（无论数字多少，都会反复抽取），其余取自 MNIST，以免模型遗忘它。0.25 = 每个批次的四分之一。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Starting point of the random numbers (initial weights, shuffling, subset). The same seed and settings give the same run.</source>
        <translation>随机数的起点（初始权重、打乱顺序、子集）。相同的随机种子和设置会得到相同的训练过程。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where the arithmetic runs: a GPU is much faster than the CPU. Auto picks the fastest this computer has (cuda, cuda:N for an NVIDIA GPU, mps for Apple's).</source>
        <translation>运算在哪里执行：GPU 比 CPU 快得多。“自动”会选择这台计算机上最快的设备（NVIDIA GPU 为 cuda、cuda:N，Apple 的 GPU 为 mps）。</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>How many CPU cores PyTorch may use when training on the CPU (0 = Auto, PyTorch's choice). Fewer leaves room for other programs.</source>
        <translation>在 CPU 上训练时 PyTorch 可使用的 CPU 核心数（0 = 自动，由 PyTorch 决定）。设得少一些可以给其他程序留出资源。</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
</context>
<context>
    <name>TrainForm</name>
    <message>
        <source>Restore defaults</source>
        <extracomment>Object names older than the field names they show (tests and scripts find widgets by them). The context the architectures' descriptions are translated in (gui/train/config_texts.py).</extracomment>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Put every field back to the recipe that trains LeNet-5 to about 99% test accuracy</source>
        <translation>将所有字段恢复为能把 LeNet-5 训练到约 99% 测试准确率的配置</translation>
    </message>
    <message>
        <source>Arrows step 1, 2, 5, 10…</source>
        <translation>箭头按 1、2、5、10… 步进</translation>
    </message>
    <message>
        <source>Layers of the selected architecture</source>
        <translation>所选网络结构的各层</translation>
    </message>
    <message>
        <source>Each layer's output shape (maps × height × width) for one digit and how many numbers (parameters) it learns</source>
        <translation>每一层对一个数字的输出形状（特征图数 × 高 × 宽），以及它要学习的数值（参数）个数</translation>
    </message>
    <message>
        <source>Follows %1</source>
        <translation>参照 %1</translation>
    </message>
    <message>
        <source>Total trainable parameters: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>可训练参数总数：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <source>Training views</source>
        <extracomment>Fine-tuning needs at least this many of the user's digits (a fifth of them are held out).</extracomment>
        <translation>训练视图</translation>
    </message>
    <message>
        <source>Watch the charts, or the network itself learning</source>
        <translation>观察图表，或观察网络本身如何学习</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Inside the network</source>
        <translation>网络内部</translation>
    </message>
    <message>
        <source>Past runs</source>
        <translation>以往的训练</translation>
    </message>
    <message>
        <source>Loss and accuracy as the run learns</source>
        <translation>训练过程中的损失和准确率</translation>
    </message>
    <message>
        <source>The first layer's kernels and what every layer makes of one test digit, changing as the run learns</source>
        <translation>第一层的卷积核，以及每一层对一个测试数字的处理结果，随训练进行而变化</translation>
    </message>
    <message>
        <source>Every run kept in the run history, from this window or the command line: compare their curves, open or delete them</source>
        <translation>训练历史中保存的每次训练（来自本窗口或命令行）：比较它们的曲线，打开或删除它们</translation>
    </message>
    <message>
        <source>Cannot create the folder for training checkpoints %1: %2</source>
        <translation>无法创建训练检查点文件夹 %1: %2</translation>
    </message>
    <message>
        <source>Cannot resume training</source>
        <translation>无法继续训练</translation>
    </message>
    <message>
        <source>Cannot start training</source>
        <translation>无法开始训练</translation>
    </message>
    <message>
        <source>Needs at least %1 of your digits (you have %2): save them in the Draw tab by drawing and pressing their keys 0–9.</source>
        <translation>至少需要 %1 个你的数字（目前有 %2 个）：请在“绘制”标签页中画数字，并按对应的键 0–9 保存。</translation>
    </message>
    <message>
        <source>Train the active model further on your %1 digits, mixed into every batch with MNIST so that it is not forgotten.
First the form takes the fine-tune recipe: %2 epoch, learning rate %3, augmentation on, no label smoothing (a fresh run's recipe makes a trained model forget part of MNIST); the other settings on the left apply.
The log and the table above the charts compare the accuracy before and after, on MNIST's test images and on a fifth of your digits held out from training.</source>
        <translation>在你的 %1 个数字上继续训练当前模型，每个批次都混入 MNIST，以免模型遗忘它。
表单会先换成微调配置：%2 轮、学习率 %3、开启数据增强、不使用标签平滑（全新训练的配置会让已训练好的模型遗忘部分 MNIST）；左侧的其他设置照常生效。
日志和图表上方的表格会比较微调前后的准确率：分别在 MNIST 的测试图像上，以及在从训练中留出的五分之一你的数字上。</translation>
    </message>
    <message>
        <source>Resume training from checkpoint</source>
        <translation>从检查点继续训练</translation>
    </message>
    <message>
        <source>Note: the run history could not keep this run: %1</source>
        <translation>注意：训练历史无法保存这次训练：%1</translation>
    </message>
    <message>
        <source>Loading MNIST… Training can start as soon as it is read.</source>
        <translation>正在加载 MNIST… 读取完成后即可开始训练。</translation>
    </message>
    <message>
        <source>Training needs the MNIST images: %1</source>
        <translation>训练需要 MNIST 图像：%1</translation>
    </message>
    <message>
        <source>Training needs the MNIST images, which are not loaded.</source>
        <translation>训练需要 MNIST 图像，但它们尚未加载。</translation>
    </message>
</context>
<context>
    <name>TrainingRun</name>
    <message>
        <source>training ended without a result</source>
        <extracomment>10 Hz: smooth to the eye while a chart repaint stays a small share of one core.</extracomment>
        <translation>训练已结束，但没有得到结果</translation>
    </message>
</context>
<context>
    <name>WhyPair</name>
    <message>
        <source>Red: pixels that pushed the model toward the digit named above the map; blue: pixels that pushed it away.</source>
        <translation>红色：把模型推向热力图上方所写数字的像素；蓝色：把模型推离该数字的像素。</translation>
    </message>
    <message>
        <source>Why %1</source>
        <extracomment>The side of each map, in pixels: small multiples, the detail pane stays compact. The explanation method: Integrated Gradients (the Draw tab offers the choice).</extracomment>
        <translation>为什么是 %1</translation>
    </message>
    <message>
        <source>Why not %1 (true label)</source>
        <translation>为什么不是 %1（真实标签）</translation>
    </message>
    <message>
        <source>Why not %1 (next best)</source>
        <translation>为什么不是 %1（次选）</translation>
    </message>
    <message>
        <source>Red: pixels that pushed the model toward %1; blue: away from it (Integrated Gradients)</source>
        <translation>红色：把模型推向 %1 的像素；蓝色：把模型推离它的像素（积分梯度）</translation>
    </message>
    <message>
        <source>No explanation: %1</source>
        <translation>无法给出解释：%1</translation>
    </message>
</context>
<context>
    <name>WhyPanel</name>
    <message>
        <source>Why?</source>
        <extracomment>At most one attribution request per this many ms while a stroke is drawn (10 per second). The digit combo's first item: follow the prediction.</extracomment>
        <translation>为什么？</translation>
    </message>
    <message>
        <source>Why this digit</source>
        <translation>为什么是这个数字</translation>
    </message>
    <message>
        <source>Colour the pixels of the network input by how much they pushed the network toward the chosen digit</source>
        <translation>按网络输入中各像素把网络推向所选数字的程度为其着色</translation>
    </message>
    <message>
        <source>Digit to explain</source>
        <translation>要解释的数字</translation>
    </message>
    <message>
        <source>The digit to explain: the predicted one, or any other (“why not 9?”)</source>
        <translation>要解释的数字：预测的数字，或任何其他数字（“为什么不是 9？”）</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>digit %1</source>
        <translation>数字 %1</translation>
    </message>
    <message>
        <source>Explanation method</source>
        <translation>解释方法</translation>
    </message>
    <message>
        <source>Integrated Gradients: how the score grows as the ink fades in from black. Occlusion: how much it drops when a 4×4 patch is blacked out.</source>
        <translation>Integrated Gradients（积分梯度）：墨迹从全黑逐渐显现时，得分如何增长。遮挡：把一个 4×4 图块涂黑时，得分下降多少。</translation>
    </message>
    <message>
        <source>Integrated Gradients</source>
        <translation>Integrated Gradients</translation>
    </message>
    <message>
        <source>Occlusion</source>
        <translation>遮挡</translation>
    </message>
    <message>
        <source>predicted (%1)</source>
        <translation>预测值（%1）</translation>
    </message>
    <message>
        <source>Draw a digit to see which pixels pushed the network toward it.</source>
        <translation>画一个数字，查看哪些像素把网络推向了它。</translation>
    </message>
    <message>
        <source>Over the network input: red pixels pushed the network toward %1, blue ones away from it; uncoloured ones had little effect.</source>
        <translation>叠加在网络输入上：红色像素把网络推向 %1，蓝色像素把网络推离它；未着色的像素影响很小。</translation>
    </message>
    <message>
        <source>No explanation: %1</source>
        <translation>无法给出解释：%1</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong, but your work is safe and the app keeps running.

%1: %2</source>
        <translation>出了点问题，但你的工作成果是安全的，应用会继续运行。

%1: %2</translation>
    </message>
</context>
<context>
    <name>jobs</name>
    <message>
        <source>Not enough memory to finish this. Close other programs (or, for training, choose a smaller batch size) and try again.</source>
        <extracomment>How long closing the window waits for cancelled jobs to return. Progress reports closer together than this are merged (the last one wins); the final one, done == total, is always sent. Views repaint at 10-20 Hz anyway.</extracomment>
        <translation>内存不足，无法完成此操作。请关闭其他程序（如果是训练，可以选择更小的批大小）后重试。</translation>
    </message>
    <message>
        <source>Unexpected error: %1: %2</source>
        <translation>意外错误：%1: %2</translation>
    </message>
</context>
</TS>